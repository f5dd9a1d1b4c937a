package io.jvmpool.pool;

import java.util.List;

/** The pool and its job at one moment. */
public record PoolSnapshot(String task, long tasksTotal, long tasksDone, long tasksFailed, long tasksRetried,
                           double elapsedSeconds, List<WorkerView> workers) {
}
