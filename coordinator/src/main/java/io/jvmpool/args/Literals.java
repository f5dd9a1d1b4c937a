package io.jvmpool.args;

import java.util.ArrayList;
import java.util.List;

/**
 * The values of {@code --args}, read as a Python tuple's literals are: numbers as {@link Numbers}
 * reads them, and text in single or double quotes ({@code 1,'resnet',"a, b"}), with Python's
 * backslash escapes ({@code \}, {@code \'}, {@code \"}, {@code \n}, {@code \t}, {@code \r}).
 */
public final class Literals {
    /** One value and the text it was written as (what identifies the job for --resume). */
    public record Literal(Object value, String source) {
    }

    private Literals() {
    }

    /**
     * @throws NumberFormatException with a message that names the value by its position (1 is the first)
     */
    public static List<Literal> parse(String text) {
        List<Literal> values = new ArrayList<>();
        if (text.isBlank()) {
            return values; // tasks without arguments
        }
        int i = 0;
        int n = text.length();
        while (true) {
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            if (i < n && (text.charAt(i) == '\'' || text.charAt(i) == '"')) {
                char quote = text.charAt(i++);
                StringBuilder s = new StringBuilder();
                while (true) {
                    if (i >= n) {
                        throw new NumberFormatException("value " + (values.size() + 1) + ": text that never ends (a missing closing "
                                + quote + ")");
                    }
                    char c = text.charAt(i++);
                    if (c == quote) {
                        break;
                    }
                    if (c == '\\' && i < n) {
                        char e = text.charAt(i++);
                        s.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            default -> e; // \\ \' \" and any other: the character itself
                        });
                    } else {
                        s.append(c);
                    }
                }
                String source = text.substring(start, i);
                while (i < n && text.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && text.charAt(i) != ',') {
                    throw new NumberFormatException("value " + (values.size() + 1) + ": something after the closing quote of " + source
                            + "; separate values with commas");
                }
                values.add(new Literal(s.toString(), source));
            } else {
                int comma = text.indexOf(',', i);
                int end = comma < 0 ? n : comma;
                String raw = text.substring(start, end);
                Number number;
                try {
                    number = Numbers.parse(raw);
                } catch (NumberFormatException e) {
                    String hint = e.getMessage().startsWith("not a number") ? "; text goes in quotes: '" + raw.strip() + "'" : "";
                    throw new NumberFormatException("value " + (values.size() + 1) + ": " + e.getMessage() + hint);
                }
                values.add(new Literal(number, raw.strip()));
                i = end;
            }
            if (i >= n) {
                return values;
            }
            i++; // the comma
            if (i >= n) {
                throw new NumberFormatException("value " + (values.size() + 1) + ": " + "an empty value (two commas in a row, or one at the end?)");
            }
        }
    }
}
