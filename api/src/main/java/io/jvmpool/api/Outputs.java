package io.jvmpool.api;

/**
 * Where a task puts its outputs. Output {@code k} becomes row {@code i} of the batch file of the
 * {@code k}-th name given with {@code --outputs}, converted to the job's {@code --dtype}. Every
 * output must be set exactly once per task. Arrays are copied before the call returns, so a task
 * may reuse its arrays.
 */
public interface Outputs {

    /** Sets output {@code k} to a scalar. */
    void set(int k, double value);

    /** Sets output {@code k} to a scalar whole number (exact for int64 outputs). */
    void set(int k, long value);

    /**
     * Sets output {@code k} to an array in C order. With no {@code shape} it is 1-D; otherwise the
     * product of {@code shape} must equal {@code values.length}.
     */
    void set(int k, double[] values, int... shape);

    /** As {@link #set(int, double[], int...)}, for float values. */
    void set(int k, float[] values, int... shape);

    /** As {@link #set(int, double[], int...)}, for int values. */
    void set(int k, int[] values, int... shape);

    /** As {@link #set(int, double[], int...)}, for long values. */
    void set(int k, long[] values, int... shape);
}
