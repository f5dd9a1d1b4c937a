package io.jvmpool.shared;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them: {@code 500ms}, {@code 30s}, {@code 1.5m}, {@code 2h}, or ISO-8601
 * {@code PT30S}. A number without a unit is refused: {@code 10} could mean seconds or milliseconds,
 * and a wrong guess makes a timeout 1000 times off.
 */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");

    private Durations() {
    }

    /** @throws IllegalArgumentException with what to write instead */
    public static Duration parse(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (NUMBER.matcher(v).matches()) {
            throw new IllegalArgumentException("'" + value + "' has no unit: give one, e.g. " + v + "s (seconds), " + v
                    + "ms, " + v + "m or " + v + "h");
        }
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            double millis = switch (m.group(2)) {
                case "ms" -> amount;
                case "m" -> amount * 60_000;
                case "h" -> amount * 3_600_000;
                default -> amount * 1000;
            };
            return Duration.ofMillis(Math.round(millis));
        }
        try {
            return Duration.parse(value.strip().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (e.g. 500ms, 30s, 5m, 1h)");
        }
    }
}
