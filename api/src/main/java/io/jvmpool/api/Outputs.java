package io.jvmpool.api;

/**
 * Where a task puts its outputs. Output {@code k} becomes row {@code i} of the batch file of the
 * {@code k}-th output (named by {@link Task#outputs()} or with {@code --outputs}), converted to that
 * output's dtype as numpy converts it. Every output must be set exactly once per task. Arrays are
 * copied before the call returns, so a task may reuse its arrays.
 *
 * <p>Bytes and shorts are raw data where they fit: a {@code byte} of a {@code uint8} output is read
 * as its 8 bits, 0..255 ({@code (byte) 200} is 200, as image data comes), and a {@code short} of a
 * {@code uint16} output as its 16 bits, 0..65535; into any other dtype each is its signed Java value
 * (-128..127, -32768..32767). A {@code boolean} is 1 or 0.
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

    /**
     * As {@link #set(int, double[], int...)}, for bytes: raw bits for a {@code uint8} output (an
     * image's pixels), signed values for any other. Outputs of your own (a test double) get the
     * signed values as ints unless they override this.
     */
    default void set(int k, byte[] values, int... shape) {
        int[] widened = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            widened[i] = values[i];
        }
        set(k, widened, shape);
    }

    /** As {@link #set(int, byte[], int...)}, for shorts: raw bits for a {@code uint16} output, signed values for any other. */
    default void set(int k, short[] values, int... shape) {
        int[] widened = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            widened[i] = values[i];
        }
        set(k, widened, shape);
    }

    /** As {@link #set(int, double[], int...)}, for booleans (1 and 0; a {@code bool} output, a mask). */
    default void set(int k, boolean[] values, int... shape) {
        int[] widened = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            widened[i] = values[i] ? 1 : 0;
        }
        set(k, widened, shape);
    }
}
