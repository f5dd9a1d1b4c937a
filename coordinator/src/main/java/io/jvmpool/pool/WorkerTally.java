package io.jvmpool.pool;

/**
 * What one worker slot (an index) has done over the pool's life, through replacements: the
 * numbers behind the live view, {@code jvmpool status} and run.json. Guarded by the scheduler's lock.
 */
final class WorkerTally {
    final int index;
    final boolean local;
    long pid = -1;
    String host = "";
    String state = "starting";
    long tasksDone;
    long busyNanos;
    long currentTask = -1;
    /** CPU seconds of the processes that held this index before the current one. */
    double cpuSecondsBefore;
    /** CPU seconds of the current process, as last read. */
    double cpuSecondsNow;
    double cpuPercent;
    long rssBytes;
    int restarts;
    private long lastSampleNanos;

    WorkerTally(int index, boolean local) {
        this.index = index;
        this.local = local;
    }

    double cpuSeconds() {
        return cpuSecondsBefore + cpuSecondsNow;
    }

    /** A new reading of the current process: CPU seconds so far and resident memory. */
    void sample(double cpuSeconds, long rss, long nowNanos) {
        if (lastSampleNanos > 0 && nowNanos > lastSampleNanos && cpuSeconds >= cpuSecondsNow) {
            cpuPercent = 100.0 * (cpuSeconds - cpuSecondsNow) / ((nowNanos - lastSampleNanos) / 1e9);
        }
        cpuSecondsNow = cpuSeconds;
        rssBytes = rss;
        lastSampleNanos = nowNanos;
    }

    /** A newer count of the current process's CPU seconds (a remote worker's, sent with its results). */
    void cpuSoFar(double cpuSeconds) {
        cpuSecondsNow = Math.max(cpuSecondsNow, cpuSeconds);
    }

    /** The process ended; a new one may take the index. */
    void processEnded() {
        cpuSecondsBefore += cpuSecondsNow;
        cpuSecondsNow = 0;
        cpuPercent = 0;
        rssBytes = 0;
        lastSampleNanos = 0;
        currentTask = -1;
        state = "gone";
    }

    WorkerView view() {
        return new WorkerView(index, pid, host, local, state, tasksDone, currentTask, cpuPercent, rssBytes, cpuSeconds(),
                busyNanos / 1e9, restarts);
    }
}
