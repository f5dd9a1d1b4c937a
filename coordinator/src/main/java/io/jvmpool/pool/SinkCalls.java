package io.jvmpool.pool;

import io.jvmpool.rows.InPlaceBatch;
import io.jvmpool.rows.TaskRows;

/**
 * Every call into a job's {@link ResultSink}, never under the scheduler's lock: a sink is the job's
 * code (the batch files, or a caller's own through {@link Pool#run}), and the scheduler must not
 * wait for it while it hands out tasks. Results and failures reach the sink one at a time, on a
 * lock of their own; {@link ResultSink#inPlace} is asked as tasks are sent and must not wait behind
 * them, so it comes without that lock.
 */
final class SinkCalls {
    private final Object scheduler;
    private final Object lock = new Object();

    /** @param scheduler the lock that must not be held while a sink runs */
    SinkCalls(Object scheduler) {
        this.scheduler = scheduler;
    }

    void accept(ResultSink sink, long first, TaskRows rows) {
        assertNotHeld();
        synchronized (lock) {
            sink.accept(first, rows);
        }
    }

    InPlaceBatch inPlace(ResultSink sink, long index) {
        assertNotHeld();
        return sink.inPlace(index);
    }

    void failed(ResultSink sink, TaskError error) {
        assertNotHeld();
        synchronized (lock) {
            sink.failed(error);
        }
    }

    /** The boundary the scheduler's design rests on, checked where it is crossed. */
    void assertNotHeld() {
        if (Thread.holdsLock(scheduler)) {
            throw new IllegalStateException("called out with the scheduler's lock held");
        }
    }
}
