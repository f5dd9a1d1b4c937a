package io.jvmpool.pool;

/**
 * One worker as the live view, {@code jvmpool status} and run.json show it.
 *
 * @param state       starting, idle, busy or gone
 * @param currentTask the task it runs now, or -1
 * @param busySeconds time it spent computing tasks
 * @param restarts    how many times a new process took this index
 */
public record WorkerView(int index, long pid, String host, boolean local, WorkerState state, long tasksDone, long currentTask,
                         double cpuPercent, long rssBytes, double cpuSeconds, double busySeconds, int restarts) {
}
