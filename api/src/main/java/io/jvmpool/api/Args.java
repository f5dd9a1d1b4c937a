package io.jvmpool.api;

/**
 * The arguments of one task, by position: numbers, or text (an args file's column of text, a quoted
 * value of {@code --args}, a {@code String} in a Pool row). Valid only during the call it is given to.
 * Reading a text argument as a number fails the task with the argument's name.
 */
public interface Args {

    /** How many arguments there are. */
    int size();

    /** True when argument {@code i} was written as a whole number. */
    boolean isInteger(int i);

    /** Argument {@code i} as a whole number (a fractional value is truncated toward zero). */
    long getLong(int i);

    /** Argument {@code i} as a double. */
    double getDouble(int i);

    /** True when argument {@code i} is text: read it with {@link #getString}. */
    default boolean isText(int i) {
        return false;
    }

    /** Argument {@code i} as text: text as it was given, a number as Java writes it ({@code 3}, {@code 2.5}). */
    default String getString(int i) {
        return isInteger(i) ? Long.toString(getLong(i)) : Double.toString(getDouble(i));
    }
}
