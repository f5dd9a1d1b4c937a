package io.jvmpool.pool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * What one call into the {@link Scheduler} leaves to be done once it has released its lock: the
 * workers with messages to send, and actions that reach outside the scheduler (ending a worker's
 * process, telling the pool a worker is ready). Collected under the lock, run after it (as OkHttp's
 * {@code Dispatcher.promoteAndExecute} does).
 */
final class Callouts {
    private final Set<WorkerSession> toFlush = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Runnable> actions = new ArrayList<>();

    /** {@code s} has messages queued. */
    void flush(WorkerSession s) {
        toFlush.add(s);
    }

    /** Runs {@code action} after the lock is released, in the order given. */
    void then(Runnable action) {
        actions.add(action);
    }

    /**
     * Sends what is queued and runs the actions; {@code broken} is told of each worker whose stream
     * turned out to be gone. Must be called without the scheduler's lock.
     */
    void run(SinkCalls boundary, java.util.function.Consumer<WorkerSession> broken) {
        boundary.assertNotHeld();
        for (WorkerSession s : toFlush) {
            if (!s.flush()) {
                broken.accept(s);
            }
        }
        actions.forEach(Runnable::run);
    }
}
