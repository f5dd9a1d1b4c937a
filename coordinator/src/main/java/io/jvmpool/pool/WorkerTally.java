package io.jvmpool.pool;

/**
 * What one worker slot (an index) has done over the pool's life, through replacements: the
 * numbers behind the live view, {@code jvmpool status} and run.json. Each method holds the tally's own lock.
 */
final class WorkerTally {
    private final int index;
    private final boolean local;
    private long pid = -1;
    private String host = "";
    private WorkerState state = WorkerState.STARTING;
    private long tasksDone;
    private long busyNanos;
    private long currentTask = -1;
    /** CPU seconds of the processes that held this index before the current one. */
    private double cpuSecondsBefore;
    /** CPU seconds of the current process, as last read. */
    private double cpuSecondsNow;
    private double cpuPercent;
    private long rssBytes;
    private int restarts;
    /** Processes that took this index after its predecessor ran its --max-tasks-per-worker tasks. */
    private int recycled;
    private boolean recyclingNext;
    private long lastSampleNanos;

    WorkerTally(int index, boolean local) {
        this.index = index;
        this.local = local;
    }

    synchronized boolean isLocal() {
        return local;
    }

    synchronized long pid() {
        return pid;
    }

    synchronized boolean isGone() {
        return state == WorkerState.GONE;
    }

    /** A process {@code pid} took this index (a restart when another held it before); it shows as starting. */
    synchronized void starting(long newPid, String newHost) {
        if (pid > 0 && pid != newPid) {
            if (recyclingNext) {
                recycled++;
                recyclingNext = false;
                cpuSecondsBefore += cpuSecondsNow; // the predecessor's CPU so far stays counted
                cpuSecondsNow = 0;
                lastSampleNanos = 0;
            } else {
                restarts++;
            }
        }
        pid = newPid;
        if (newHost != null) {
            host = newHost;
        }
        state = WorkerState.STARTING;
    }

    synchronized void idle() {
        state = WorkerState.IDLE;
        currentTask = -1;
    }

    /** Was handed tasks; {@code task} is the one it runs now, or -1 when it is busy with an earlier one. */
    synchronized void busy(long task) {
        state = WorkerState.BUSY;
        if (task >= 0) {
            currentTask = task;
        }
    }

    synchronized void current(long task) {
        currentTask = task;
    }

    synchronized void done(long tasks, long computeNanos) {
        tasksDone += tasks;
        busyNanos += computeNanos;
    }

    synchronized double cpuSeconds() {
        return cpuSecondsBefore + cpuSecondsNow;
    }

    /** A new reading of the current process: CPU seconds so far and resident memory. */
    synchronized void sample(double cpuSeconds, long rss, long nowNanos) {
        if (lastSampleNanos > 0 && nowNanos > lastSampleNanos && cpuSeconds >= cpuSecondsNow) {
            cpuPercent = 100.0 * (cpuSeconds - cpuSecondsNow) / ((nowNanos - lastSampleNanos) / 1e9);
        }
        cpuSecondsNow = cpuSeconds;
        rssBytes = rss;
        lastSampleNanos = nowNanos;
    }

    /** A newer count of the current process's CPU seconds (a remote worker's, sent with its results). */
    synchronized void cpuSoFar(double cpuSeconds) {
        cpuSecondsNow = Math.max(cpuSecondsNow, cpuSeconds);
    }

    /** A new job on the same workers (a retasked pool): what it reports counts from now. */
    synchronized void newJob() {
        tasksDone = 0;
        busyNanos = 0;
        restarts = 0;
        recycled = 0;
        cpuSecondsBefore = -cpuSecondsNow;
    }

    /** The next process to take this index replaces one that ran its last task (a recycle, not a restart). */
    synchronized void recycling() {
        recyclingNext = true;
    }

    /** Process {@code endedPid} ended; unless a newer one holds the index already, a new one may take it. */
    synchronized void processEnded(long endedPid) {
        if (endedPid != pid && endedPid > 0) {
            return; // a predecessor (recycled) ending after its replacement started
        }
        cpuSecondsBefore += cpuSecondsNow;
        cpuSecondsNow = 0;
        cpuPercent = 0;
        rssBytes = 0;
        lastSampleNanos = 0;
        currentTask = -1;
        state = WorkerState.GONE;
    }

    synchronized WorkerView view() {
        return new WorkerView(index, pid, host, local, state, tasksDone, currentTask, cpuPercent, rssBytes, cpuSeconds(),
                busyNanos / 1e9, restarts, recycled);
    }
}
