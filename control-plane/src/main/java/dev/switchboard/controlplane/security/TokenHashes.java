package dev.switchboard.controlplane.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Tokens are stored and compared only as SHA-256 digests; new ones come from a CSPRNG. */
final class TokenHashes {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenHashes() {
    }

    static String sha256(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean sameToken(String presented, String expectedPlain) {
        if (expectedPlain == null || expectedPlain.isBlank()) {
            return false;
        }
        return MessageDigest.isEqual(sha256(presented).getBytes(StandardCharsets.US_ASCII),
                sha256(expectedPlain).getBytes(StandardCharsets.US_ASCII));
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "sb_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
