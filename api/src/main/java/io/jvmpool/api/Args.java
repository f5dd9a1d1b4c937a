package io.jvmpool.api;

/** The arguments of one task: numbers, by position. Valid only during the call it is given to. */
public interface Args {

    /** How many arguments there are. */
    int size();

    /** True when argument {@code i} was written as a whole number. */
    boolean isInteger(int i);

    /** Argument {@code i} as a whole number (a fractional value is truncated toward zero). */
    long getLong(int i);

    /** Argument {@code i} as a double. */
    double getDouble(int i);
}
