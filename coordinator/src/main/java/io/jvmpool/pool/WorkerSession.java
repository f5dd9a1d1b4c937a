package io.jvmpool.pool;

import io.jvmpool.proto.CoordinatorMessage;

/**
 * One connected worker as the scheduler sees it: the tasks it holds (in the order it runs them),
 * how fast it is, and its stream's {@link Outbox}. Its state is guarded by the scheduler's lock
 * (times come from its clock); its identity, whether it is open, and the outbox may be read from
 * any thread.
 */
final class WorkerSession {
    private final int index;
    private final long pid;
    private final String host;
    private final boolean local;
    private final Outbox outbox;

    /** The indexes of the tasks sent and not yet answered, oldest first: the worker answers in this order. */
    private final HeldTasks held = new HeldTasks();
    /** Answers still to come for tasks of a job that has ended: they are dropped. */
    private long stale;
    /** Moving average of one task's compute time; 0 until the first result. */
    private double taskNanos;
    private long lastHeard;
    private long currentTask = -1;
    private long currentTaskSince;
    /** Tasks sent to this worker so far. */
    private long handedOut;
    /** It was handed its last task (--max-tasks-per-worker): it gets no more, and goes once it has answered. */
    private boolean retiring;
    /** True while the worker runs a suspect task alone: it gets nothing else until that task answers. */
    private boolean isolating;
    /** Why we are ending the worker (a timeout, a cancelled task), or null. */
    private String endingBecause;
    private boolean cancelled;
    private volatile boolean open = true;
    /** The worker has set its task up and takes tasks. */
    private boolean ready;
    /** This worker's index's running totals; set when it joins. */
    private WorkerTally tally;

    WorkerSession(int index, long pid, String host, boolean local, Outbox outbox) {
        this.index = index;
        this.pid = pid;
        this.host = host;
        this.local = local;
        this.outbox = outbox;
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

    /** The worker has set its task up: it takes tasks from now on. */
    /** The worker is sent another job's setup: it takes no task until it says ready again. */
    void resetup(CoordinatorMessage setup) {
        ready = false;
        taskNanos = 0; // another task: how fast the last one was says nothing of it
        outbox.add(setup);
    }

    void markReady(long now) {
        ready = true;
        lastHeard = now;
        tally.idle();
    }

    /** A heartbeat: the worker is alive and runs {@code task}; a remote worker also says what it uses (a local one is read from /proc). */
    void heartbeat(long now, double cpuSeconds, long rssBytes, long task) {
        heard(now);
        running(task, now);
        tally.current(task);
        if (!local) {
            tally.sample(cpuSeconds, rssBytes, now);
        }
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

    long handedOut() {
        return handedOut;
    }

    void handedOut(long tasks) {
        handedOut += tasks;
    }

    boolean retiring() {
        return retiring;
    }

    /** It has its last task: it gets no more, and its stream is closed once it has answered (a replacement takes its place). */
    void retire() {
        retiring = true;
    }

    boolean isolating() {
        return isolating;
    }

    void isolate(boolean on) {
        isolating = on;
    }

    /** We are ending the worker for this reason (a timeout, or a cancelled task it runs). */
    void markEnding(String why, boolean forCancel) {
        endingBecause = why;
        cancelled = forCancel;
    }

    /** Set when we ended the worker for running a task too long. */
    boolean timedOut() {
        return endingBecause != null && !cancelled;
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

    /** Queues a message for the worker (sent by {@link #flush}, after the scheduler's lock is released). */
    void queue(CoordinatorMessage message) {
        outbox.add(message);
    }

    /** The worker writes its rows into the batch files from now on (a dialing worker that proved it sees them), or not (null). */
    void allowInPlace(InPlaceOffers offers) {
        outbox.allowInPlace(offers);
    }

    /** Queues a chunk of tasks; a local worker is first told where their rows go, if {@code sink} has files for them. */
    void queueTasks(CoordinatorMessage tasks, ResultSink sink) {
        outbox.addTasks(tasks, sink);
    }

    /** Sends what is queued; false when the stream turned out to be gone. Never with the scheduler's lock held. */
    boolean flush() {
        return outbox.flush();
    }

    /** Sends a message now, in order after what is queued (a task jar's pieces); false when the stream is gone. */
    boolean sendNow(CoordinatorMessage message) {
        queue(message);
        return flush();
    }

    /**
     * Ends the stream, after a goodbye that says why (the worker prints it and exits), or with none
     * (the job is done: the worker exits cleanly). Queued: it goes out at the next {@link #flush}.
     */
    void close(String goodbye) {
        if (open) {
            open = false;
            outbox.close(goodbye);
        }
    }

    String name() {
        return "w" + index + (pid > 0 ? " (pid " + pid + (local ? "" : " on " + host) + ")" : "");
    }
}
