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

    /** Total worker CPU / (wall time x worker slots). */
    public double cpuEfficiency(double wallSeconds) {
        double cpu = workers.stream().mapToDouble(WorkerView::cpuSeconds).sum();
        return wallSeconds > 0 && !workers.isEmpty() ? cpu / (wallSeconds * workers.size()) : 0;
    }
}
