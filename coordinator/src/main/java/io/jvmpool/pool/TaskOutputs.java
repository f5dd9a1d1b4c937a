package io.jvmpool.pool;

/**
 * The outputs of one finished task, as they arrived: raw little-endian values of the pool's dtype.
 * A view that is valid only during the {@link ResultSink#accept} call it is given to.
 */
public interface TaskOutputs {

    /** How many outputs the task has. */
    int count();

    /** The shape of output {@code k}; empty for a scalar. */
    int[] shape(int k);

    /** The size of output {@code k} in bytes. */
    int byteSize(int k);

    /** Copies output {@code k} into {@code target} at {@code offset}. */
    void copyTo(int k, byte[] target, int offset);
}
