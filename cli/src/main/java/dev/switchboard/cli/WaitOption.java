package dev.switchboard.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** {@code --wait[=DURATION]}: after a change, wait until every live router confirmed it (default 5s). */
final class WaitOption {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(ms|s|m)?");

    @Option(names = "--wait", arity = "0..1", fallbackValue = "5s", paramLabel = "DURATION",
            description = "wait until every live router decides with the new revision (default 5s; e.g. 500ms, 10s, "
                    + "1m); exit 1 naming the routers that did not confirm in time")
    String wait;

    boolean requested() {
        return wait != null;
    }

    /** The bound, or a usage failure naming the option. */
    Duration bound() {
        Matcher m = DURATION.matcher(wait.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CliFailure(ExitCodes.USAGE, "invalid --wait '" + wait + "': a duration such as 500ms, 5s or 1m");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero() || d.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new CliFailure(ExitCodes.USAGE, "invalid --wait '" + wait + "': between 1ms and 10m");
        }
        return d;
    }
}
