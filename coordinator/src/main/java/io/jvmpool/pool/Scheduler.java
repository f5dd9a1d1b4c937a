package io.jvmpool.pool;

import io.jvmpool.args.ArgSource;
import io.jvmpool.proto.CoordinatorMessage;
import io.jvmpool.proto.ResultBatch;
import io.jvmpool.proto.TaskFailure;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a job's tasks to the connected workers and takes their results, all under one lock. How
 * many tasks go at once is {@link MessageSizing}'s decision, what goes next {@link TaskQueue}'s.
 * A worker answers its tasks in the order it got them; when it is lost, the tasks it held go back
 * to the queue, and the task it was running counts an attempt. Jobs run one after another; one
 * that fails or is cancelled leaves the pool usable: what workers still hold of it is dropped as it
 * comes back.
 */
final class Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    /** What the scheduler asks of the pool around it. */
    interface Events {
        /** Told (under the lock) of each worker that becomes ready. */
        void ready(WorkerSession s);

        /** The worker must go (it hangs, or runs a cancelled task): end it, and replace a local one. */
        void end(WorkerSession s, String why);
    }

    private final int maxAttempts;
    private final Events events;
    private final LongSupplier clock;
    private final List<WorkerSession> sessions = new ArrayList<>();
    private final WorkerTallies tallies = new WorkerTallies();
    private final TaskQueue queue = new TaskQueue();
    private final JobStats stats = new JobStats();
    private final Dispatcher dispatcher;
    private ResultSink sink;
    private boolean running;
    private String failure;

    Scheduler(int maxAttempts, int chunkSize, Events events, LongSupplier nanoClock) {
        this.maxAttempts = maxAttempts;
        this.dispatcher = new Dispatcher(queue, new MessageSizing(chunkSize), stats);
        this.events = events;
        this.clock = nanoClock;
    }

    /** Starts a job once the one before it has ended: its tasks are handed out from now on. */
    synchronized void begin(ArgSource args, ResultSink jobSink, BitSet alreadyDone) throws InterruptedException {
        while (running) {
            wait();
        }
        queue.begin(args, alreadyDone);
        sink = jobSink;
        failure = null;
        stats.newJob();
        running = !queue.over();
        fillAll();
        notifyAll();
    }

    /** The job's source has new rows, or has ended: hand them out, or end the job. */
    synchronized void fed() {
        if (running && queue.over()) {
            endJob();
        } else {
            fillAll();
        }
    }

    /** Waits until the job's last result is in; throws with the reason when it failed. */
    synchronized void awaitJob() throws JobFailedException, InterruptedException {
        while (running) {
            wait();
        }
        if (failure != null) {
            throw new JobFailedException(failure);
        }
    }

    /** Ends the job with an error; what workers hold of it is dropped as it comes back. */
    synchronized void fail(String reason) {
        if (failure == null) {
            failure = reason;
            LOG.debug("job failed: {}", reason);
        }
        endJob();
    }

    /**
     * Cancels task {@code index} of {@code job} if it runs: a queued task is not handed out, a task a
     * worker runs now ends that worker (a local one is replaced). False when it is finished already.
     */
    synchronized boolean cancel(ArgSource job, long index) {
        if (queue.source() != job) { // a job that waits for the one before it: skip the task when it begins
            queue.cancelBeforeBegin(job, index);
            return true;
        }
        if (!running || index >= queue.total() || queue.isFinished(index)) {
            return false;
        }
        queue.finish(index, 1);
        for (WorkerSession s : List.copyOf(sessions)) {
            if (s.held().first() == index) {
                s.endBecause("ran task " + index + ", which was cancelled", true);
                events.end(s, "ran task " + index + ", which was cancelled");
            }
        }
        if (running && queue.over()) {
            endJob();
        }
        return true;
    }

    private void endJob() {
        running = false;
        sessions.forEach(WorkerSession::forgetHeld);
        notifyAll();
    }

    synchronized void join(WorkerSession session) {
        sessions.add(session);
        session.joined(tallies.joined(session), clock.getAsLong());
        LOG.debug("worker {} joined", session.name());
    }

    /** Sends a message to a worker under the lock that guards its stream. */
    synchronized void send(WorkerSession s, CoordinatorMessage message) {
        s.send(message);
    }

    /** What every worker index has done: local worker processes are entered as they start and end. */
    WorkerTallies tallies() {
        return tallies;
    }

    /** The job's milestones and totals. */
    synchronized JobStats stats() {
        return stats.copy();
    }

    /** The job and every worker, now. */
    synchronized PoolSnapshot snapshot(String task, double elapsedSeconds, int workersWanted) {
        return new PoolSnapshot(task, queue.total(), queue.finishedCount(), stats.failed(), stats.retried(), elapsedSeconds,
                tallies.views(), workerCount(), workersWanted);
    }

    /** The worker has set its task up: it gets tasks from now on. */
    synchronized void ready(WorkerSession session) {
        if (!session.isOpen() || session.isReady()) {
            return;
        }
        session.markReady(clock.getAsLong());
        session.tally().idle();
        events.ready(session);
        fill(session);
        notifyAll();
    }

    /** How many workers are ready for tasks. */
    synchronized int workerCount() {
        return (int) sessions.stream().filter(WorkerSession::isReady).count();
    }

    /** Waits until at least {@code n} workers are ready, or the pool fails. */
    synchronized boolean awaitWorkers(int n, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (workerCount() < n && failure == null) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return workerCount() >= n;
    }

    synchronized void results(WorkerSession s, ResultBatch batch, ResultView view) {
        if (!s.isOpen()) {
            return;
        }
        try {
            view.message(batch);
        } catch (IllegalArgumentException e) {
            dropWorker(s, "sent malformed results: " + e.getMessage());
            return;
        }
        int n = ResultView.tasks(batch);
        int stale = s.dropStale(n); // answers to a job that has ended
        for (int row = stale, end; row < n; row = end) {
            end = ResultView.runEnd(batch, row);
            if (!deliver(s, ResultView.index(batch, row), view.rows(row, end - row))) {
                return;
            }
        }
        stats.results(n - stale);
        s.answered(n, batch.getComputeNanos(), batch.getCpuSeconds());
        fill(s);
    }

    /** Checks that the worker owed these tasks, hands their results to the sink and marks them done. */
    private boolean deliver(WorkerSession s, long first, ResultView rows) {
        if (!takeHeld(s, first, rows.count())) {
            return false;
        }
        if (running) {
            try {
                sink.accept(first, rows);
            } catch (RuntimeException e) {
                fail(e.getMessage() == null ? e.toString() : e.getMessage());
                return false;
            }
            finish(first, rows.count());
        }
        return true;
    }

    synchronized void failure(WorkerSession s, TaskFailure f) {
        if (!s.isOpen() || s.dropStale(1) == 1) {
            return;
        }
        if (f.getIndex() < 0) {
            fail("the task could not be loaded or set up in worker " + s.name() + ": " + f.getMessage()
                    + "\n" + TaskError.indented(f.getStackTrace()));
            return;
        }
        long index = f.getIndex();
        if (!takeHeld(s, index, 1) || !running) {
            return;
        }
        TaskError error = new TaskError(index, queue.source().describe(index), s.name(), f.getMessage(), f.getStackTrace());
        if (f.getFatal()) {
            fail(error.describe());
            return;
        }
        try {
            sink.failed(error);
        } catch (RuntimeException e) {
            fail(error.describe() + "\n" + TaskError.indented(f.getStackTrace()));
            return;
        }
        LOG.warn("{} (skipped)", error.describe());
        stats.failedTask();
        finish(index, 1);
        if (s.held().isEmpty()) {
            s.isolate(false);
        }
        fill(s);
    }

    synchronized void heartbeat(WorkerSession s, double cpuSeconds, long rssBytes, long currentTask) {
        long now = clock.getAsLong();
        s.heard(now);
        s.running(currentTask, now);
        s.tally().current(currentTask);
        if (!s.isLocal()) {
            s.tally().sample(cpuSeconds, rssBytes, now);
        }
    }

    /** Hands each worker that went silent or ran a task too long to the pool to be ended. */
    synchronized void checkHealth(Liveness liveness) {
        liveness.check(sessions, clock.getAsLong(), events::end);
    }

    /**
     * A worker is gone (its stream ended or its process exited): what it held goes back to the
     * queue, and the task it was running counts an attempt, unless we ended it for a cancelled task.
     */
    synchronized void lost(WorkerSession s, String why) {
        if (!sessions.remove(s)) {
            return;
        }
        s.finish();
        s.tally().processEnded();
        long[] held = s.held().drain();
        if (held.length > 0 && running) {
            LOG.warn("worker {} {}: its {} task(s) go back to the queue", s.name(), why, held.length);
            long culprit = s.endedForCancel() ? -1 : s.runningTaskOf(held);
            int tries = culprit < 0 ? 0 : queue.attempt(culprit);
            if (tries >= maxAttempts) {
                String what = s.timedOut() ? "ran past the task timeout" : "took its worker down";
                fail("task " + culprit + " " + queue.source().describe(culprit) + " " + what + " " + tries
                        + " times (last: worker " + s.name() + " " + why + "); giving up (at most " + maxAttempts + " attempts)");
                return;
            }
            queue.handBack(held, culprit);
            stats.retried(held.length);
            fillAll();
        } else {
            LOG.debug("worker {} {}", s.name(), why);
        }
        notifyAll();
    }

    /** The session of local worker {@code index}, or null. */
    synchronized WorkerSession localSession(int index) {
        return sessions.stream().filter(s -> s.isLocal() && s.index() == index).findFirst().orElse(null);
    }

    /** Ends every worker's stream: each exits when it sees the end. */
    synchronized void finishAll() {
        running = false;
        sessions.forEach(WorkerSession::finish);
        notifyAll();
    }

    /** Checks that tasks {@code first ..} are the next ones {@code s} owes us and takes them off; drops the worker otherwise. */
    private boolean takeHeld(WorkerSession s, long first, int count) {
        if (!s.held().take(first, count)) {
            dropWorker(s, "answered task" + (count == 1 ? " " + first : "s " + first + ".." + (first + count - 1))
                    + ", which it was not running (it holds " + s.held().size() + " tasks)");
            return false;
        }
        s.heard(clock.getAsLong());
        return true;
    }

    private void finish(long first, int count) {
        queue.finish(first, count);
        if (running && queue.over()) {
            endJob();
        }
    }

    /** A peer that breaks the protocol loses its stream; its tasks are handed to others. */
    private void dropWorker(WorkerSession s, String why) {
        LOG.warn("worker {} {}: dropping it", s.name(), why);
        s.refuse("protocol error: " + why);
        lost(s, why);
    }

    private void fillAll() {
        for (WorkerSession s : List.copyOf(sessions)) {
            fill(s);
        }
    }

    /** Sends {@code s} tasks until it holds as many as it should. */
    private void fill(WorkerSession s) {
        if (running && !dispatcher.fill(s, sessions.size(), sink)) {
            lost(s, "could not be sent its tasks");
        }
    }
}
