package dev.switchboard.demo.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The demo's tenants, the same every run (ids and numbers derived from the index), and their control-plane
 * import file ({@code POST /api/v1/tenants/import}, JSON). The first three are internal lines: the canary.
 */
public final class TenantCatalog {

    public static final int CANARY_COUNT = 3;

    private final List<DemoTenant> tenants;

    private TenantCatalog(List<DemoTenant> tenants) {
        this.tenants = List.copyOf(tenants);
    }

    public static TenantCatalog of(int count) {
        if (count < CANARY_COUNT || count > 9999) {
            throw new IllegalArgumentException("tenant count must be between " + CANARY_COUNT + " and 9999, got " + count);
        }
        String[] tiers = {"basic", "standard", "premium"};
        List<DemoTenant> list = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String n = String.format(Locale.ROOT, "%04d", i);
            boolean internal = i <= CANARY_COUNT;
            list.add(new DemoTenant("tenant-" + n,
                    internal ? "Internal test line " + i : "Demo business " + i,
                    tiers[i % tiers.length], internal,
                    "pn_demo_" + n, "+1628555" + n, "+1415555" + n, "+1646555" + n));
        }
        return new TenantCatalog(list);
    }

    public List<DemoTenant> all() {
        return tenants;
    }

    public List<DemoTenant> canary() {
        return tenants.subList(0, CANARY_COUNT);
    }

    public DemoTenant get(int index) {
        return tenants.get(index);
    }

    public int size() {
        return tenants.size();
    }

    /** The import body: id, displayName, tier, monthlyCalls, internal and provider:kind:value identifiers. */
    public String importJson(JsonMapper json) {
        ArrayNode rows = json.createArrayNode();
        for (DemoTenant t : tenants) {
            ObjectNode row = rows.addObject();
            row.put("id", t.id());
            row.put("displayName", t.displayName());
            row.put("tier", t.tier());
            row.put("monthlyCalls", t.internal() ? 20_000 : 1_000 + (t.id().hashCode() & 0xfff));
            row.put("internal", t.internal());
            ArrayNode ids = row.putArray("identifiers");
            identifier(ids, "vapi", "phone_number_id", t.vapiPhoneNumberId());
            identifier(ids, "vapi", "number", t.vapiNumber());
            identifier(ids, "twilio", "number", t.twilioNumber());
            identifier(ids, "retell", "number", t.retellNumber());
        }
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(rows);
    }

    private static void identifier(ArrayNode ids, String provider, String kind, String value) {
        ids.addObject().put("provider", provider).put("kind", kind).put("value", value);
    }
}
