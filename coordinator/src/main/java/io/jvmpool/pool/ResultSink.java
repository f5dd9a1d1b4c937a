package io.jvmpool.pool;

import io.jvmpool.output.InPlaceBatch;
import io.jvmpool.output.TaskRows;

/**
 * Receives each task's outcome once, as tasks finish (in no particular order). Called from the
 * pool's scheduler with its lock held: keep each call short.
 */
public interface ResultSink {

    /**
     * Tasks {@code first .. first + rows.count() - 1} finished; row {@code i} holds task
     * {@code first + i}. Throwing fails the job with the exception's message.
     */
    void accept(long first, TaskRows rows);

    /**
     * Where workers on this machine may write task {@code index}'s rows themselves, or null (the
     * default) to have them sent: its rows then come to {@link #accept} marked {@link TaskRows#inPlace()}.
     */
    default InPlaceBatch inPlace(long index) {
        return null;
    }

    /**
     * Task {@code index} threw. Return to go on without it ({@code --on-error skip}); throw to end
     * the job. The default ends the job.
     */
    default void failed(TaskError error) {
        throw new IllegalStateException(error.describe());
    }
}
