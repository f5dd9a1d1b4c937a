package io.jvmpool.pool;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** One view per worker index, the latest process's: a replacement takes the index of the worker it replaces. */
    public Collection<WorkerView> latestWorkers() {
        Map<Integer, WorkerView> byIndex = new LinkedHashMap<>();
        workers.forEach(w -> byIndex.put(w.index(), w));
        return byIndex.values();
    }

    /** Total worker CPU / (wall time x worker slots). */
    public double cpuEfficiency(double wallSeconds) {
        double cpu = workers.stream().mapToDouble(WorkerView::cpuSeconds).sum();
        return wallSeconds > 0 && !workers.isEmpty() ? cpu / (wallSeconds * workers.size()) : 0;
    }
}
