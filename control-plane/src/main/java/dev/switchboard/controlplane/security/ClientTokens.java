package dev.switchboard.controlplane.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Whether an {@code Authorization} header carries a configured token that may read the Unleash client API (the
 * SDK client token or a router token), decided as {@link TokenAuthentication} decides for them (raw or
 * {@code Bearer} form, SHA-256 digests compared in constant time). For the client API's hot path, which answers a
 * poll before the security filter chain runs; anything else (a database token, no token) goes through the chain.
 */
@Component
public class ClientTokens {

    private final List<byte[]> readers = new ArrayList<>();

    ClientTokens(SecurityProperties properties) {
        add(properties.clientToken());
        properties.routerCredentials().forEach(router -> add(router.token()));
    }

    private void add(String token) {
        if (token != null && !token.isBlank()) {
            readers.add(digest(token));
        }
    }

    public boolean mayReadClientApi(String authorizationHeader) {
        if (readers.isEmpty()) {
            return false;
        }
        return TokenAuthentication.presentedToken(authorizationHeader).map(token -> {
            byte[] presented = digest(token);
            boolean match = false;
            for (byte[] reader : readers) {
                match |= MessageDigest.isEqual(presented, reader);
            }
            return match;
        }).orElse(false);
    }

    private static byte[] digest(String token) {
        return TokenHashes.sha256(token).getBytes(StandardCharsets.US_ASCII);
    }
}
