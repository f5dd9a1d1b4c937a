package io.jvmpool.pool;

import io.jvmpool.rows.InPlaceBatch;
import io.jvmpool.rows.TaskRows;

/**
 * Receives each task's outcome once, as tasks finish (in no particular order). Calls come from the
 * pool's network threads one at a time, never with the scheduler's lock held: a task counts as
 * finished once its sink has taken it, so a slow sink slows the results it is given, not the
 * handing out of tasks.
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
     * Asked as tasks are sent, from any thread and while {@link #accept} may run: it must be thread-safe.
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
