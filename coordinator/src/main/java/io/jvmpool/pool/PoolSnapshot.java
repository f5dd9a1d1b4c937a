package io.jvmpool.pool;

import java.util.List;

/**
 * The pool and its job at one moment. Before the job starts ({@code tasksTotal} 0) the pool waits
 * for {@code workersWanted} workers, of which {@code workersReady} are ready.
 */
public record PoolSnapshot(String task, long tasksTotal, long tasksDone, long tasksFailed, long tasksRetried,
                           double elapsedSeconds, List<WorkerView> workers, int workersReady, int workersWanted) {

    /** True until the first task is handed out. */
    public boolean waitingForWorkers() {
        return tasksTotal == 0 && workersWanted > 0;
    }
}
