package io.jvmpool.args;

/** Reads one argument value as Python would read a literal: a whole number stays whole, anything else is a double. */
public final class Numbers {

    private Numbers() {
    }

    /**
     * @throws NumberFormatException when {@code text} is not a number
     */
    public static Number parse(String text) {
        String t = text.strip();
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException notWhole) {
            if (t.isEmpty() || t.endsWith("d") || t.endsWith("D") || t.endsWith("f") || t.endsWith("F")) {
                throw new NumberFormatException("not a number: '" + text + "'"); // Java suffixes are not numbers here
            }
            try {
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw new NumberFormatException("not a number: '" + text + "'");
            }
        }
    }
}
