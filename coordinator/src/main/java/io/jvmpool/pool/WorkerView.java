package io.jvmpool.pool;

/**
 * One worker as the live view, {@code jvmpool status} and run.json show it.
 *
 * @param state       starting, idle, busy or gone
 * @param currentTask the task it runs now, or -1
 * @param busySeconds time it spent computing tasks
 * @param restarts    how many times a new process took this index after one died
 * @param recycled    how many times a new process took this index after one ran its --max-tasks-per-worker tasks
 */
public record WorkerView(int index, long pid, String host, boolean local, WorkerState state, long tasksDone, long currentTask,
                         double cpuPercent, long rssBytes, double cpuSeconds, double busySeconds, int restarts, int recycled) {

    /** As before recycling was counted. */
    public WorkerView(int index, long pid, String host, boolean local, WorkerState state, long tasksDone, long currentTask,
                      double cpuPercent, long rssBytes, double cpuSeconds, double busySeconds, int restarts) {
        this(index, pid, host, local, state, tasksDone, currentTask, cpuPercent, rssBytes, cpuSeconds, busySeconds, restarts, 0);
    }
}
