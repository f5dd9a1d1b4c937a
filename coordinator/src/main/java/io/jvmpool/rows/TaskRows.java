package io.jvmpool.rows;

/**
 * The outputs of consecutive finished tasks, as they arrived: raw little-endian values of the
 * pool's dtype, row {@code i} for the {@code i}-th task. A view that is valid only during the call
 * it is given to (the pool's {@code ResultSink.accept}).
 */
public interface TaskRows {

    /**
     * True when the workers wrote these rows into the batch's files themselves ({@link InPlaceBatch}):
     * then only the shapes are here, not the bytes.
     */
    default boolean inPlace() {
        return false;
    }

    /** How many tasks (rows). */
    int count();

    /** How many outputs each task has. */
    int outputs();

    /** The shape of output {@code k} (the same in every row); empty for a scalar. */
    int[] shape(int k);

    /** The size of one row of output {@code k}, in bytes. */
    int rowBytes(int k);

    /**
     * Rows {@code from .. from + rows - 1} of output {@code k}, as a read-only buffer (no copy where it
     * can be helped). Valid during {@code accept}; to use it later, {@link #keep} these rows.
     */
    java.nio.ByteBuffer buffer(int k, int from, int rows);

    /**
     * Keeps the memory behind {@link #buffer} valid after {@code accept} returns (the view itself is
     * still reused), until the returned action runs: run it once when done with the buffers. The
     * coordinator reads large results into buffers that it reuses once no one keeps them.
     */
    default Runnable keep() {
        return () -> { };
    }

    /** Copies rows {@code from .. from + rows - 1} of output {@code k} into {@code target} at {@code offset}. */
    void copyTo(int k, int from, int rows, byte[] target, int offset);
}
