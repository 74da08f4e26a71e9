package dev.switchboard.router.signatures;

import java.time.Clock;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Retell: {@code x-retell-signature: v=<unix ms>,d=<hex HMAC-SHA256(apiKey, rawBody + v)>}, 5-minute window. */
public final class RetellSignature {

    private static final Pattern HEADER = Pattern.compile("v=(\\d{1,15}),d=([0-9a-fA-F]{1,128})");

    private final Clock clock;
    private final Duration maxAge;

    public RetellSignature(Clock clock, Duration maxAge) {
        this.clock = clock;
        this.maxAge = maxAge;
    }

    public boolean matches(String apiKey, byte[] rawBody, String header) {
        if (header == null) {
            return false;
        }
        Matcher m = HEADER.matcher(header.trim());
        if (!m.matches()) {
            return false;
        }
        long sentMillis = Long.parseLong(m.group(1));
        if (Math.abs(clock.millis() - sentMillis) > maxAge.toMillis()) {
            return false;
        }
        String expected = Hmac.hex(Hmac.sign("HmacSHA256", apiKey, rawBody, Hmac.utf8(m.group(1))));
        return Hmac.equalsConstantTime(expected, m.group(2).toLowerCase());
    }

    public static String sign(String apiKey, byte[] rawBody, long millis) {
        return "v=" + millis + ",d=" + Hmac.hex(Hmac.sign("HmacSHA256", apiKey, rawBody, Hmac.utf8(Long.toString(millis))));
    }
}
