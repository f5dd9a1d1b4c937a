package io.jvmpool.args;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one grammar for argument values ({@code --args} and {@code --args-file}), as Python reads a
 * literal: a whole number ({@code 42}, {@code -7}) is a 64-bit integer; a number with a fraction or
 * an exponent ({@code 3.5}, {@code 1e-3}) is a double; {@code nan}, {@code inf} and {@code -inf}
 * (any case; {@code infinity} too) are the non-finite doubles. Anything else is refused, and so is
 * a value out of range: an integer beyond 64 bits, a double beyond 1.8e308.
 */
public final class Numbers {
    private static final Pattern WHOLE = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)");

    private Numbers() {
    }

    /**
     * What {@code bytes[0, length)} (an args file's value, spaces already dropped) holds by this
     * grammar: a whole number, another number, or, when it is neither, text. Reads the bytes without
     * making a String, but for the rare number whose range must be checked.
     *
     * @throws NumberFormatException for a number out of range (as {@link #parse} says it)
     */
    public static ValueKind kind(byte[] bytes, int length) {
        int i = 0;
        if (length > 0 && (bytes[0] == '+' || bytes[0] == '-')) {
            i = 1;
        }
        int digits = 0;
        while (i < length && bytes[i] >= '0' && bytes[i] <= '9') {
            i++;
            digits++;
        }
        if (i == length && digits > 0) {
            if (digits >= 19) {
                parse(new String(bytes, 0, length, java.nio.charset.StandardCharsets.US_ASCII)); // throws when beyond 64 bits
            }
            return ValueKind.INTEGER;
        }
        boolean point = false;
        if (i < length && bytes[i] == '.') {
            point = true;
            i++;
            while (i < length && bytes[i] >= '0' && bytes[i] <= '9') {
                i++;
                digits++;
            }
        }
        boolean exponent = false;
        if (digits > 0 && i < length && (bytes[i] == 'e' || bytes[i] == 'E')) {
            int j = i + 1;
            if (j < length && (bytes[j] == '+' || bytes[j] == '-')) {
                j++;
            }
            int expDigits = 0;
            while (j < length && bytes[j] >= '0' && bytes[j] <= '9') {
                j++;
                expDigits++;
            }
            if (expDigits > 0) {
                exponent = true;
                i = j;
            }
        }
        if (i == length && digits > 0 && (point || exponent)) {
            if (exponent || digits > 300) {
                parse(new String(bytes, 0, length, java.nio.charset.StandardCharsets.US_ASCII)); // throws when beyond a double
            }
            return ValueKind.FLOATING;
        }
        if (length <= 9 && NON_FINITE.matcher(new String(bytes, 0, length, java.nio.charset.StandardCharsets.US_ASCII)
                .toLowerCase(Locale.ROOT)).matches()) {
            return ValueKind.FLOATING;
        }
        return ValueKind.TEXT;
    }

    /**
     * @throws NumberFormatException with a message that says what is wrong with {@code text}
     */
    public static Number parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new NumberFormatException("an empty value (two commas in a row, or one at the end?)");
        }
        if (WHOLE.matcher(t).matches()) {
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new NumberFormatException("'" + text + "' is out of the range of a 64-bit integer (+-9223372036854775807); "
                        + "write it with an exponent (e.g. 9.3e18) to pass a double");
            }
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (NON_FINITE.matcher(lower).matches()) {
            boolean negative = lower.startsWith("-");
            return lower.contains("nan") ? Double.NaN : negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!DECIMAL.matcher(t).matches()) {
            throw new NumberFormatException("not a number: '" + text + "' (numbers look like 3, -2, 0.5, 1e-3, nan, inf)");
        }
        double d = Double.parseDouble(t);
        if (Double.isInfinite(d)) {
            throw new NumberFormatException("'" + text + "' is out of the range of a double (+-1.8e308); write inf for infinity");
        }
        return d;
    }
}
