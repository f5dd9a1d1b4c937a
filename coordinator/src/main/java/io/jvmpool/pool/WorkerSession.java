package io.jvmpool.pool;

import io.jvmpool.output.InPlaceBatch;
import io.jvmpool.proto.CoordinatorMessage;
import io.jvmpool.worker.WorkerMain;

/**
 * One connected worker as the scheduler sees it: its stream, the tasks it holds (in the order it
 * runs them) and how fast it is. Guarded by the scheduler's lock; times come from its clock.
 */
final class WorkerSession {
    private final int index;
    private final long pid;
    private final String host;
    private final boolean local;
    private final WorkerLink link;

    /** The indexes of the tasks sent and not yet answered, oldest first: the worker answers in this order. */
    private final HeldTasks held = new HeldTasks();
    /** Answers still to come for tasks of a job that has ended: they are dropped. */
    private long stale;
    /** Moving average of one task's compute time; 0 until the first result. */
    private double taskNanos;
    private long lastHeard;
    private long currentTask = -1;
    private long currentTaskSince;
    /** True while the worker runs a suspect task alone: it gets nothing else until that task answers. */
    private boolean isolating;
    /** Why the worker is being ended by us (a timeout, a cancelled task), or null. */
    private String endedBecause;
    private boolean cancelled;
    private boolean open = true;
    /** The worker has set its task up and takes tasks. */
    private boolean ready;
    /** The batch files this (local) worker was told of, to write their rows itself. */
    private final java.util.Set<InPlaceBatch> toldFiles = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** This worker's index's running totals; set when it joins. */
    private WorkerTally tally;

    WorkerSession(int index, long pid, String host, boolean local, WorkerLink link) {
        this.index = index;
        this.pid = pid;
        this.host = host;
        this.local = local;
        this.link = link;
    }

    int index() {
        return index;
    }

    long pid() {
        return pid;
    }

    String host() {
        return host;
    }

    boolean isLocal() {
        return local;
    }

    HeldTasks held() {
        return held;
    }

    WorkerTally tally() {
        return tally;
    }

    /** The worker joined at {@code now}; {@code tally} keeps what its index has done. */
    void joined(WorkerTally tally, long now) {
        this.tally = tally;
        this.lastHeard = now;
        this.currentTaskSince = now;
    }

    boolean isOpen() {
        return open;
    }

    boolean isReady() {
        return ready;
    }

    void markReady(long now) {
        ready = true;
        lastHeard = now;
    }

    double taskNanos() {
        return taskNanos;
    }

    /**
     * Folds a message's measured work into the estimate of one task's compute time. Faster tasks
     * count more than slower ones: a worker's first tasks run before its JIT has compiled them, and
     * an estimate that lags behind the warm speed keeps its messages small (one round trip per task).
     */
    void recordBatch(int tasks, long computeNanos) {
        double perTask = (double) computeNanos / tasks;
        double weight = perTask < taskNanos ? 0.7 : 0.3;
        taskNanos = taskNanos == 0 ? perTask : (1 - weight) * taskNanos + weight * perTask;
    }

    /**
     * The worker answered {@code tasks} tasks that took {@code computeNanos}; a remote worker also
     * says its CPU seconds so far (0 when unknown).
     */
    void answered(int tasks, long computeNanos, double cpuSeconds) {
        recordBatch(Math.max(1, tasks), computeNanos);
        if (!local && cpuSeconds > 0) {
            tally.cpuSoFar(cpuSeconds);
        }
        tally.done(tasks, computeNanos);
        if (held.isEmpty()) {
            tally.idle();
            isolating = false;
        }
    }

    /**
     * Of the tasks a lost worker {@code held}, the one it was running: the one its last heartbeat
     * named, if it still held it, else the oldest (a worker runs its tasks in the order it got them).
     */
    long runningTaskOf(long[] held) {
        for (long index : held) {
            if (index == currentTask) {
                return index;
            }
        }
        return held[0];
    }

    void heard(long now) {
        lastHeard = now;
    }

    long silentFor(long now) {
        return now - lastHeard;
    }

    long currentTask() {
        return currentTask;
    }

    /** A heartbeat named the task the worker runs now. */
    void running(long task, long now) {
        if (task != currentTask) {
            currentTask = task;
            currentTaskSince = now;
        }
    }

    long runningFor(long now) {
        return now - currentTaskSince;
    }

    /** We did not run for {@code gap} ns: the worker's clocks restart from {@code now}. */
    void excuse(long gap, long now) {
        lastHeard = now;
        currentTaskSince += gap;
    }

    boolean isolating() {
        return isolating;
    }

    void isolate(boolean on) {
        isolating = on;
    }

    /** The worker is being ended by us for this reason (a timeout, a cancelled task). */
    void endBecause(String why, boolean forCancel) {
        endedBecause = why;
        cancelled = forCancel;
    }

    /** Set when we ended the worker for running a task too long. */
    boolean timedOut() {
        return endedBecause != null && !cancelled;
    }

    /** Set when we ended the worker because the task it ran was cancelled: no attempt counts. */
    boolean endedForCancel() {
        return cancelled;
    }

    /** The job ended: what the worker still holds is answered later and dropped. */
    void forgetHeld() {
        stale += held.drain().length;
        isolating = false;
    }

    /** Takes up to {@code n} answers off the count of stale ones; returns how many were stale. */
    int dropStale(int n) {
        int dropped = (int) Math.min(stale, n);
        stale -= dropped;
        return dropped;
    }

    /**
     * Notes that the worker is told of these batch files; false when it already was. Only the
     * latest few are kept: the worker itself forgets older ones (and would be told again).
     */
    boolean tellFiles(InPlaceBatch files) {
        if (toldFiles.size() >= WorkerMain.ROW_FILES_KEPT) {
            toldFiles.clear();
        }
        return toldFiles.add(files);
    }

    /** Sends a message; false when the stream is gone. */
    boolean send(CoordinatorMessage message) {
        if (!open) {
            return false;
        }
        try {
            link.send(message);
            return true;
        } catch (RuntimeException e) { // the call was cancelled under us
            open = false;
            return false;
        }
    }

    /** Ends the stream cleanly: the worker exits when it sees the end. */
    void finish() {
        if (open) {
            open = false;
            try {
                link.close();
            } catch (RuntimeException e) {
                // already closed by the other side
            }
        }
    }

    /** Ends the stream with a message the worker prints before it exits. */
    void refuse(String reason) {
        if (open) {
            send(CoordinatorMessage.newBuilder().setGoodbye(reason).build());
            finish();
        }
    }

    String name() {
        return "w" + index + (pid > 0 ? " (pid " + pid + (local ? "" : " on " + host) + ")" : "");
    }
}
