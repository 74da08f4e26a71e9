package dev.switchboard.router.signatures;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Twilio request validation: Base64(HMAC-SHA1(authToken, fullUrl + every POST param name+value sorted by
 * name)). The URL is the public one Twilio called, which the router cannot see behind a proxy, hence configured.
 */
public final class TwilioSignature {

    public boolean matches(String authToken, String fullUrl, Map<String, List<String>> params, String presented) {
        if (presented == null) {
            return false;
        }
        return Hmac.equalsConstantTime(sign(authToken, fullUrl, params), presented);
    }

    public static String sign(String authToken, String fullUrl, Map<String, List<String>> params) {
        StringBuilder data = new StringBuilder(fullUrl);
        new TreeMap<>(params).forEach((name, values) -> values.stream().sorted().forEach(v -> data.append(name).append(v)));
        return Base64.getEncoder().encodeToString(Hmac.sign("HmacSHA1", authToken, Hmac.utf8(data.toString())));
    }
}
