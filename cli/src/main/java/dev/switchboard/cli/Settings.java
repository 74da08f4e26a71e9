package dev.switchboard.cli;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where to find the control plane and which token to present. Each value comes from the first place that has
 * it: the command line, the environment, then {@code config.properties} in the user's config directory
 * ({@code $XDG_CONFIG_HOME/switchboard} or {@code ~/.config/switchboard}) with keys {@code server} and
 * {@code token}. The token itself is never printed; only where it came from.
 */
record Settings(URI server, Optional<String> token, String tokenSource, Path configFile) {

    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";
    static final String SERVER_ENV = "SWITCHBOARD_CONTROL_PLANE_URL";
    static final String TOKEN_ENV = "SWITCHBOARD_TOKEN";

    static Settings resolve(Optional<String> serverOption, Optional<String> tokenOption, Map<String, String> env,
                            Path home) {
        Path file = configFile(env, home);
        Properties config = read(file);
        String server = serverOption.or(() -> nonBlank(env.get(SERVER_ENV)))
                .or(() -> nonBlank(config.getProperty("server"))).orElse(DEFAULT_SERVER);
        Optional<String> token;
        String source;
        if (tokenOption.flatMap(Settings::nonBlank).isPresent()) {
            token = tokenOption.flatMap(Settings::nonBlank);
            source = "--token";
        } else if (nonBlank(env.get(TOKEN_ENV)).isPresent()) {
            token = nonBlank(env.get(TOKEN_ENV));
            source = TOKEN_ENV;
        } else {
            token = nonBlank(config.getProperty("token"));
            source = token.isPresent() ? file.toString() : "none";
        }
        return new Settings(serverUri(server), token, source, file);
    }

    static Path configFile(Map<String, String> env, Path home) {
        Path dir = nonBlank(env.get("XDG_CONFIG_HOME")).map(Path::of).orElse(home.resolve(".config"));
        return dir.resolve("switchboard").resolve("config.properties");
    }

    String requireToken() {
        return token.orElseThrow(() -> new CliFailure(ExitCodes.UNREACHABLE, "no API token: pass --token, set "
                + TOKEN_ENV + " or put token=... in " + configFile));
    }

    private static URI serverUri(String value) {
        String trimmed = value.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = URI.create(trimmed);
            if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, "server URL '" + value + "' is not an http(s) URL such as "
                    + DEFAULT_SERVER);
        }
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new CliFailure(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
            }
        }
        return properties;
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
