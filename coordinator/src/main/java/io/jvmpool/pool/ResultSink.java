package io.jvmpool.pool;

/**
 * Receives each task's outcome once, as tasks finish (in no particular order). Called from the
 * pool's scheduler with its lock held: keep each call short.
 */
public interface ResultSink {

    /** Task {@code index} finished with these outputs. Throwing fails the job with the exception's message. */
    void accept(long index, TaskOutputs outputs);

    /**
     * Task {@code index} failed and will not be retried, and the job goes on without it
     * ({@code --on-error skip}). The default fails the job.
     */
    default void failed(long index, String message) {
        throw new IllegalStateException(message);
    }
}
