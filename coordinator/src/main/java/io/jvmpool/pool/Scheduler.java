package io.jvmpool.pool;

import io.jvmpool.args.ArgSource;
import io.jvmpool.proto.ResultChunk;
import io.jvmpool.proto.TaskFailure;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a job's tasks to the connected workers and takes their results. How many tasks go at once
 * is {@link MessageSizing}'s decision, what goes next {@link TaskQueue}'s. A worker answers its tasks
 * in the order it got them; when it is gone, the tasks it held go back to the queue, and the task
 * it was running counts an attempt. Jobs run one after another; one that fails or is cancelled
 * leaves the pool usable: what workers still hold of it is dropped as it comes back.
 *
 * <p>Its lock guards the sessions, the queue and the job's state, and nothing else runs under it:
 * each call collects what it leaves to do ({@link Callouts}: messages to send, workers to end) and
 * does it after releasing the lock; results and failures go to the job's sink between two turns of
 * the lock ({@link SinkCalls}), and a task counts as finished only once its sink has taken it.
 */
final class Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    /** What the scheduler asks of the pool around it; called without the scheduler's lock. */
    interface Events {
        /** A worker became ready. */
        void ready(WorkerSession s);

        /** The worker must go (it hangs, or runs a cancelled task): end it, and replace a local one. */
        void end(WorkerSession s, String why);

        /** The local worker was handed its last task (--max-tasks-per-worker): start its replacement now. */
        default void retiring(WorkerSession s) {
        }
    }

    private final int maxAttempts;
    private final Events events;
    private final LongSupplier clock;
    private final SinkCalls sinks = new SinkCalls(this);
    private final Answers answers = new Answers(this, sinks);
    private final List<WorkerSession> sessions = new ArrayList<>();
    private final WorkerTallies tallies = new WorkerTallies();
    private final TaskQueue queue = new TaskQueue();
    private final JobStats stats = new JobStats();
    private final Dispatcher dispatcher;
    private ResultSink sink;
    private boolean running;
    private String failure;
    /** Counts jobs: what a call took under the lock still belongs to the job it took it from. */
    private long generation;
    /** The pool is being ended (Ctrl-C): workers that go now hand nothing back, and get no task. */
    private boolean stopping;

    Scheduler(int maxAttempts, int chunkSize, Events events, LongSupplier nanoClock) {
        this(maxAttempts, chunkSize, 0, events, nanoClock);
    }

    /** @param maxTasksPerWorker tasks a local worker runs before it is replaced (0: no limit) */
    Scheduler(int maxAttempts, int chunkSize, int maxTasksPerWorker, Events events, LongSupplier nanoClock) {
        this.maxAttempts = maxAttempts;
        this.dispatcher = new Dispatcher(queue, new MessageSizing(chunkSize), stats, maxTasksPerWorker);
        this.events = events;
        this.clock = nanoClock;
    }

    /** The stream of a new session: local workers are told where to write their rows. */
    Outbox outbox(WorkerLink link, boolean local) {
        return new Outbox(link, local ? new InPlaceOffers(sinks) : null);
    }

    /** Starts a job once the one before it has ended: its tasks are handed out from now on. */
    void begin(ArgSource args, ResultSink jobSink, BitSet alreadyDone) throws InterruptedException {
        Callouts out = new Callouts();
        synchronized (this) {
            while (running) {
                wait();
            }
            queue.begin(args, alreadyDone);
            sink = jobSink;
            failure = null;
            generation++;
            stats.newJob();
            running = !queue.over();
            fillAll(out);
            notifyAll();
        }
        run(out);
    }

    /** The job's source has new rows, or has ended: hand them out, or end the job. */
    void fed() {
        locked(out -> {
            if (running && queue.over()) {
                endJob();
            } else {
                fillAll(out);
            }
        });
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
    boolean cancel(ArgSource job, long index) {
        Callouts out = new Callouts();
        synchronized (this) {
            if (queue.source() != job) { // a job that waits for the one before it: skip the task when it begins
                queue.cancelBeforeBegin(job, index);
                return true;
            }
            if (!running || index >= queue.total() || queue.isFinished(index)) {
                return false;
            }
            queue.finish(index, 1);
            for (WorkerSession s : sessions) {
                if (s.held().first() == index) {
                    String why = "ran task " + index + ", which was cancelled";
                    s.markEnding(why, true);
                    out.then(() -> events.end(s, why));
                }
            }
            if (running && queue.over()) {
                endJob();
            }
        }
        run(out);
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

    /**
     * The worker has set its task up: it gets tasks from now on. {@code writesInPlace}: a worker that
     * dialed in proved that it sees the job's batch files on this machine, so it writes its rows there.
     */
    void ready(WorkerSession session, boolean writesInPlace) {
        locked(out -> {
            if (session.isOpen() && !session.isReady()) {
                if (!session.isLocal()) {
                    session.allowInPlace(writesInPlace ? new InPlaceOffers(sinks) : null);
                }
                session.markReady(clock.getAsLong());
                out.then(() -> events.ready(session));
                fill(session, out);
                notifyAll();
            }
        });
    }

    /**
     * Between jobs: every worker is sent {@code setup}, another job's task, and takes tasks again
     * once it says it is ready. What each worker did counts anew from now.
     */
    void retask(io.jvmpool.proto.TaskSetup setup) {
        locked(out -> {
            if (running) {
                throw new IllegalStateException("a job runs: retask between jobs");
            }
            tallies.newJob();
            stats.retasked();
            for (WorkerSession s : sessions) {
                s.resetup(io.jvmpool.proto.CoordinatorMessage.newBuilder().setSetup(setup.toBuilder().setWorkerIndex(s.index())).build());
                out.flush(s);
            }
        });
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

    /** A worker's results: taken off what it holds, handed to the job's sink, then finished ({@link Answers}). */
    void results(WorkerSession s, ResultChunk chunk, ResultView view) {
        answers.results(s, chunk, view);
    }

    /** A task threw: the sink decides whether the job goes on without it (skipped) or fails ({@link Answers}). */
    void failure(WorkerSession s, TaskFailure f) {
        answers.failure(s, f);
    }

    // What Answers needs under the lock (it holds it when it calls these).

    /** The sink of the job running now, or null. */
    ResultSink runningSink() {
        return running ? sink : null;
    }

    /** Counts jobs: what was taken for one job is settled only if it still runs. */
    long generation() {
        return generation;
    }

    JobStats jobStats() {
        return stats;
    }

    /** Task {@code index}'s arguments as Python prints a tuple. */
    String describe(long index) {
        return queue.source().describe(index);
    }

    synchronized void heartbeat(WorkerSession s, double cpuSeconds, long rssBytes, long currentTask) {
        s.heartbeat(clock.getAsLong(), cpuSeconds, rssBytes, currentTask);
    }

    /** Hands each worker that went silent or ran a task too long to the pool to be ended. */
    void checkHealth(Liveness liveness) {
        locked(out -> liveness.check(sessions, clock.getAsLong(), (s, why) -> out.then(() -> events.end(s, why))));
    }

    /**
     * A worker is gone (its stream ended or its process exited): what it held goes back to the
     * queue, and the task it was running counts an attempt, unless we ended it for a cancelled task.
     */
    void gone(WorkerSession s, String why) {
        locked(out -> gone(s, why, out));
    }

    /** Ends a worker's stream, telling it why (it exits), and takes it for gone. */
    void end(WorkerSession s, String why) {
        locked(out -> end(s, why, out));
    }

    void end(WorkerSession s, String why, Callouts out) {
        s.close(why);
        out.flush(s);
        gone(s, why, out);
    }

    private void gone(WorkerSession s, String why, Callouts out) {
        if (!sessions.remove(s)) {
            return;
        }
        s.close(null);
        out.flush(s);
        s.tally().processEnded(s.pid());
        long[] held = s.held().drain();
        if (held.length > 0 && running && !stopping) {
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
            fillAll(out);
        } else {
            LOG.debug("worker {} {}", s.name(), why);
        }
        notifyAll();
    }

    /** The session of local worker process {@code pid} (index {@code index}), or null. */
    synchronized WorkerSession localSession(int index, long pid) {
        return sessions.stream().filter(s -> s.isLocal() && s.index() == index && s.pid() == pid).findFirst().orElse(null);
    }

    /** The pool's workers are being ended all at once (Ctrl-C): what they held is not handed out again. */
    synchronized void stopping() {
        stopping = true;
    }

    /** Ends every worker's stream: each exits when it sees the end. */
    void finishAll() {
        locked(out -> {
            running = false;
            for (WorkerSession s : sessions) {
                s.close(null);
                out.flush(s);
            }
            notifyAll();
        });
    }

    /** Checks that tasks {@code first ..} are the next ones {@code s} owes us and takes them off; ends the worker otherwise. */
    boolean takeHeld(WorkerSession s, long first, int count, Callouts out) {
        if (!s.held().take(first, count)) {
            String why = "answered task" + (count == 1 ? " " + first : "s " + first + ".." + (first + count - 1))
                    + ", which it was not running (it holds " + s.held().size() + " tasks)";
            LOG.warn("worker {} {}: ending it", s.name(), why);
            end(s, "protocol error: " + why, out);
            return false;
        }
        s.heard(clock.getAsLong());
        return true;
    }

    void finish(long first, int count) {
        queue.finish(first, count);
        if (running && queue.over()) {
            endJob();
        }
    }

    private void fillAll(Callouts out) {
        for (WorkerSession s : List.copyOf(sessions)) {
            fill(s, out);
        }
    }

    /** Queues tasks for {@code s} until it holds as many as it should. */
    void fill(WorkerSession s, Callouts out) {
        if (running && !stopping && s.isOpen()) {
            boolean wasRetiring = s.retiring();
            try {
                dispatcher.fill(s, sessions.size(), sink);
            } catch (IllegalStateException e) { // the arguments can't be read (an args file changed under the job)
                fail(e.getMessage());
            }
            if (s.retiring() && !wasRetiring) {
                out.then(() -> events.retiring(s));
            }
            out.flush(s);
        }
        if (s.retiring() && s.held().isEmpty() && s.isOpen()) {
            s.close(null); // its last task is answered: it exits cleanly, its replacement takes over
            out.flush(s);
        }
    }

    /** Runs {@code body} under the lock, then what it left to do. */
    private void locked(java.util.function.Consumer<Callouts> body) {
        Callouts out = new Callouts();
        synchronized (this) {
            body.accept(out);
        }
        run(out);
    }

    /** Does what a call left to do, now that the lock is released. */
    void run(Callouts out) {
        out.run(sinks, s -> gone(s, "could not be sent its tasks"));
    }
}
