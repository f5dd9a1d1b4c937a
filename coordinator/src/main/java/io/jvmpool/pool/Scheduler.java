package io.jvmpool.pool;

import io.jvmpool.args.ArgTable;
import io.jvmpool.launch.ProcessUsage;
import io.jvmpool.proto.CoordinatorMessage;
import io.jvmpool.proto.ResultBatch;
import io.jvmpool.proto.TaskBatch;
import io.jvmpool.proto.TaskFailure;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a job's tasks to the connected workers and takes their results, all under one lock.
 *
 * <p>Each worker gets messages of several tasks sized to a few milliseconds of its measured work
 * (one task until it has been measured, or a fixed --chunksize), and holds two such messages, or
 * about 20 ms of work when messages are small, so that it never waits for its next task; long
 * tasks go one at a time, so that no task waits behind another while a worker is idle. Near the end of the job messages shrink so that all workers finish
 * together. A worker answers its tasks in the order it got them; when it is lost, the tasks it held
 * go back to the front of the queue, and the task it was running counts an attempt.
 */
final class Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** The work one message should carry. */
    static final long TARGET_MESSAGE_NANOS = 5_000_000L;
    /** Above this a task goes alone, and a worker holds at most one more behind the one it runs. */
    static final long LONG_TASK_NANOS = 50_000_000L;
    static final int MAX_TASKS_PER_MESSAGE = 65_536;
    /** The work a worker may hold beyond two messages, when messages are small. */
    static final long PREFETCH_NANOS = 20_000_000L;
    static final long MAX_PREFETCH_TASKS = 1024;

    private final int maxAttempts;
    private final List<WorkerSession> sessions = new ArrayList<>();
    /** Every worker index seen, with what it has done: for the live view, status and run.json. */
    private final Map<Integer, WorkerTally> tallies = new TreeMap<>();

    private ArgTable args;
    private ResultSink sink;
    private long total;
    private long nextFresh;
    /** Tasks handed out again because their worker was lost. */
    private final ArrayDeque<Long> retries = new ArrayDeque<>();
    /** Tasks that were running when their worker was lost: they go out alone. */
    private final ArrayDeque<Long> suspects = new ArrayDeque<>();
    private final Map<Long, Integer> attempts = new HashMap<>();
    private BitSet finished = new BitSet();
    private long finishedCount;
    private long resultsEver;
    private boolean running;
    private String failure;
    private long retriedCount;
    /** When the first task was handed out and the first result came in (System.currentTimeMillis; 0: not yet). */
    private long firstTaskMillis;
    private long firstResultMillis;
    private long failedCount;

    /** Told (under the lock) of each worker that becomes ready. */
    private final Consumer<WorkerSession> onReady;
    /** Tasks per message when fixed; 0 to size messages by measured work. */
    private final int chunkSize;

    Scheduler(int maxAttempts, int chunkSize, Consumer<WorkerSession> onReady) {
        this.maxAttempts = maxAttempts;
        this.chunkSize = chunkSize;
        this.onReady = onReady;
    }

    /** Starts a job: its tasks are handed out from now on. */
    synchronized void begin(ArgTable jobArgs, ResultSink jobSink, BitSet alreadyDone) {
        if (running) {
            throw new IllegalStateException("a job is already running on this pool");
        }
        if (failure != null) {
            throw new IllegalStateException("this pool's last job failed; start a new pool");
        }
        args = jobArgs;
        sink = jobSink;
        total = jobArgs.rows();
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a job holds at most " + Integer.MAX_VALUE + " tasks");
        }
        finished = (BitSet) alreadyDone.clone();
        finishedCount = finished.cardinality();
        nextFresh = 0;
        retries.clear();
        suspects.clear();
        attempts.clear();
        running = finishedCount < total;
        skipFinished();
        for (WorkerSession s : sessions) {
            fill(s);
        }
        notifyAll();
    }

    /** Waits until the job's last result is in; throws with the reason when it failed. */
    synchronized void awaitJob(Runnable everySecond) throws JobFailedException, InterruptedException {
        while (running) {
            wait(1000);
            everySecond.run();
        }
        if (failure != null) {
            throw new JobFailedException(failure);
        }
    }

    /** Ends the job with an error; workers keep what they hold, and the pool is to be closed. */
    synchronized void fail(String reason) {
        if (failure == null) {
            failure = reason;
            LOG.debug("job failed: {}", reason);
        }
        running = false;
        notifyAll();
    }

    synchronized boolean isRunning() {
        return running;
    }

    synchronized void join(WorkerSession session) {
        sessions.add(session);
        WorkerTally tally = tallies.computeIfAbsent(session.index, i -> new WorkerTally(i, session.local));
        if (tally.pid > 0 && tally.pid != session.pid) {
            tally.restarts++;
        }
        tally.pid = session.pid;
        tally.host = session.host;
        tally.state = "starting";
        session.tally = tally;
        LOG.debug("worker {} joined", session.name());
    }

    /** Sends a message to a worker under the lock that guards its stream. */
    synchronized void send(WorkerSession s, CoordinatorMessage message) {
        s.send(message);
    }

    /** A local worker process was started for {@code index}: it shows as starting until it joins. */
    synchronized void starting(int index, long pid) {
        WorkerTally tally = tallies.computeIfAbsent(index, i -> new WorkerTally(i, true));
        if (tally.pid > 0 && tally.pid != pid) {
            tally.restarts++;
        }
        tally.pid = pid;
        tally.state = "starting";
    }

    /** Local worker {@code index}'s process has ended (it may never have joined). */
    synchronized void exited(int index) {
        WorkerTally tally = tallies.get(index);
        if (tally != null && tally.local && !tally.state.equals("gone")) {
            tally.processEnded();
        }
    }

    /** Takes a new reading of each local worker's CPU and memory (remote ones report theirs in heartbeats). */
    synchronized void sampleLocal(LongFunction<Optional<ProcessUsage.Reading>> read) {
        long now = System.nanoTime();
        for (WorkerTally t : tallies.values()) {
            if (t.local && t.pid > 0 && !t.state.equals("gone")) {
                read.apply(t.pid).ifPresent(r -> t.sample(r.cpuSeconds(), r.rssBytes(), now));
            }
        }
    }

    synchronized long firstTaskMillis() {
        return firstTaskMillis;
    }

    synchronized long firstResultMillis() {
        return firstResultMillis;
    }

    /** The job and every worker, now. */
    synchronized PoolSnapshot snapshot(String task, double elapsedSeconds, int workersWanted) {
        return new PoolSnapshot(task, total, finishedCount, failedCount, retriedCount, elapsedSeconds,
                tallies.values().stream().map(WorkerTally::view).toList(), workerCount(), workersWanted);
    }

    /** The worker has set its task up: it gets tasks from now on. */
    synchronized void ready(WorkerSession session) {
        if (!session.open || session.ready) {
            return;
        }
        session.ready = true;
        session.lastHeard = System.nanoTime();
        session.tally.state = "idle";
        onReady.accept(session);
        fill(session);
        notifyAll();
    }

    /** How many workers are ready for tasks. */
    synchronized int workerCount() {
        return (int) sessions.stream().filter(s -> s.ready).count();
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
        if (!s.open) {
            return;
        }
        try {
            view.message(batch);
        } catch (IllegalArgumentException e) {
            dropWorker(s, "sent malformed results: " + e.getMessage());
            return;
        }
        int n = ResultView.tasks(batch);
        if (batch.getIndexCount() == 0) {
            if (!deliver(s, batch.getFirst(), view.rows(0, n))) {
                return;
            }
        } else {
            // listed indexes (tasks handed out again): each run of consecutive ones goes at once
            for (int row = 0; row < n; ) {
                int end = row + 1;
                while (end < n && batch.getIndex(end) == batch.getIndex(end - 1) + 1) {
                    end++;
                }
                if (!deliver(s, batch.getIndex(row), view.rows(row, end - row))) {
                    return;
                }
                row = end;
            }
        }
        resultsEver += n;
        if (!s.local && batch.getCpuSeconds() > 0) {
            s.tally.cpuSoFar(batch.getCpuSeconds());
        }
        if (firstResultMillis == 0) {
            firstResultMillis = System.currentTimeMillis();
        }
        if (LOG.isTraceEnabled()) {
            LOG.trace("worker {}: {} results, {} us of work", s.name(), n, batch.getComputeNanos() / 1000);
        }
        s.recordBatch(Math.max(1, n), batch.getComputeNanos());
        s.tally.tasksDone += n;
        s.tally.busyNanos += batch.getComputeNanos();
        if (s.holding.isEmpty()) {
            s.tally.state = "idle";
            s.tally.currentTask = -1;
            s.isolating = false;
        }
        fill(s);
    }

    /** Checks that the worker owed these tasks, hands their results to the sink and marks them done. */
    private boolean deliver(WorkerSession s, long first, ResultView rows) {
        if (!takeHeld(s, first, rows.count())) {
            return false;
        }
        if (sink != null && running) {
            try {
                sink.accept(first, rows);
            } catch (RuntimeException e) {
                fail(e.getMessage() == null ? e.toString() : e.getMessage());
                return false;
            }
        }
        markFinished(first, rows.count());
        return true;
    }

    synchronized void failure(WorkerSession s, TaskFailure f) {
        if (!s.open) {
            return;
        }
        if (f.getIndex() < 0) {
            fail("the task could not be loaded or set up in worker " + s.name() + ": " + f.getMessage()
                    + "\n" + indent(f.getStackTrace()));
            return;
        }
        long index = f.getIndex();
        if (!takeHeld(s, index, 1) || !running) {
            return;
        }
        TaskError error = new TaskError(index, args.describe(index), s.name(), f.getMessage(), f.getStackTrace());
        if (f.getFatal()) {
            fail(error.describe());
            return;
        }
        try {
            sink.failed(error);
        } catch (RuntimeException e) {
            fail(error.describe() + "\n" + indent(f.getStackTrace()));
            return;
        }
        LOG.warn("{} (skipped)", error.describe());
        failedCount++;
        markFinished(index, 1);
        if (s.holding.isEmpty()) {
            s.isolating = false;
        }
        fill(s);
    }

    /** When {@link #checkHealth} last ran, to notice when this process itself was stopped. */
    private long lastHealthCheck;

    synchronized void heartbeat(WorkerSession s, double cpuSeconds, long rssBytes, long currentTask) {
        long now = System.nanoTime();
        s.lastHeard = now;
        if (currentTask != s.currentTask) {
            s.currentTask = currentTask;
            s.currentTaskSince = now;
        }
        s.tally.currentTask = currentTask;
        if (!s.local) {
            s.tally.sample(cpuSeconds, rssBytes, now);
        }
    }

    /**
     * Finds workers that went silent (no heartbeat for {@code silenceNanos}) or whose task has run
     * longer than {@code taskTimeoutNanos} (0: no limit), and hands each to {@code kill}.
     */
    synchronized void checkHealth(long silenceNanos, long taskTimeoutNanos, long stallNanos, BiConsumer<WorkerSession, String> kill) {
        long now = System.nanoTime();
        long gap = lastHealthCheck == 0 ? 0 : now - lastHealthCheck;
        lastHealthCheck = now;
        if (gap > stallNanos) {
            // We were the ones asleep (SIGSTOP, Ctrl-Z, a long pause): the workers' heartbeats wait
            // unread in our sockets. Judge them from now on, not by the time we were away.
            LOG.warn("the coordinator did not run for {} ms (stopped or paused): every worker gets a fresh heartbeat window",
                    gap / 1_000_000);
            for (WorkerSession s : sessions) {
                s.lastHeard = now;
                s.currentTaskSince += gap;
            }
            return;
        }
        for (WorkerSession s : List.copyOf(sessions)) {
            if (now - s.lastHeard > silenceNanos) {
                kill.accept(s, "sent no heartbeat for " + (now - s.lastHeard) / 1_000_000 + " ms");
            } else if (taskTimeoutNanos > 0 && s.currentTask >= 0 && now - s.currentTaskSince > taskTimeoutNanos
                    && !s.holding.isEmpty()) {
                s.timedOut = true;
                kill.accept(s, "ran task " + s.currentTask + " for longer than the task timeout ("
                        + (now - s.currentTaskSince) / 1_000_000 + " ms)");
            }
        }
    }

    /**
     * A worker is gone (its stream ended or its process exited): what it held goes back to the
     * queue, and the task it was running counts an attempt.
     */
    synchronized void lost(WorkerSession s, String why) {
        if (!sessions.remove(s)) {
            return;
        }
        s.finish();
        s.tally.processEnded();
        long[] held = s.holding.drain();
        if (held.length > 0 && running) {
            LOG.warn("worker {} {}: its {} task(s) go back to the queue", s.name(), why, held.length);
            long culprit = runningTask(s, held);
            int tries = attempts.merge(culprit, 1, Integer::sum);
            if (tries >= maxAttempts) {
                String what = s.timedOut ? "ran past the task timeout" : "took its worker down";
                fail("task " + culprit + " " + args.describe(culprit) + " " + what + " " + tries
                        + " times (last: worker " + s.name() + " " + why + "); giving up (--max-attempts " + maxAttempts + ")");
                return;
            }
            for (int i = held.length - 1; i >= 0; i--) {
                if (held[i] != culprit) {
                    retries.addFirst(held[i]);
                }
            }
            suspects.addLast(culprit);
            retriedCount += held.length;
            for (WorkerSession other : sessions) {
                fill(other);
            }
        } else {
            LOG.debug("worker {} {}", s.name(), why);
        }
        notifyAll();
    }

    /**
     * The task a lost worker was running: the one its last heartbeat named, if it still held it,
     * else the oldest it held (a worker runs its tasks in the order it got them).
     */
    private static long runningTask(WorkerSession s, long[] held) {
        for (long index : held) {
            if (index == s.currentTask) {
                return index;
            }
        }
        return held[0];
    }

    /** The session of local worker {@code index}, or null. */
    synchronized WorkerSession localSession(int index) {
        for (WorkerSession s : sessions) {
            if (s.local && s.index == index) {
                return s;
            }
        }
        return null;
    }

    /** How many results have come in since the pool started, over all jobs. */
    synchronized long resultsEver() {
        return resultsEver;
    }

    /** Ends every worker's stream: each exits when it sees the end. */
    synchronized void finishAll() {
        running = false;
        for (WorkerSession s : sessions) {
            s.finish();
        }
        notifyAll();
    }

    /** Checks that tasks {@code first ..} are the next ones {@code s} owes us and takes them off; drops the worker otherwise. */
    private boolean takeHeld(WorkerSession s, long first, int count) {
        if (!s.holding.take(first, count)) {
            dropWorker(s, "answered task" + (count == 1 ? " " + first : "s " + first + ".." + (first + count - 1))
                    + ", which it was not running (it holds " + s.holding.size() + " tasks)");
            return false;
        }
        s.lastHeard = System.nanoTime();
        return true;
    }

    private void markFinished(long first, int count) {
        finished.set((int) first, (int) first + count);
        finishedCount += count;
        if (finishedCount == total && running) {
            running = false;
            notifyAll();
        }
    }

    /** A peer that breaks the protocol loses its stream; its tasks are handed to others. */
    private void dropWorker(WorkerSession s, String why) {
        LOG.warn("worker {} {}: dropping it", s.name(), why);
        s.refuse("protocol error: " + why);
        lost(s, why);
    }

    /** Sends {@code s} tasks until it holds as many as it should. */
    private void fill(WorkerSession s) {
        while (running && s.open && s.ready) {
            if (s.isolating || !suspects.isEmpty() && !s.holding.isEmpty()) {
                return; // a suspect runs alone on an idle worker, with nothing queued behind it
            }
            boolean longTasks = s.taskNanos >= LONG_TASK_NANOS;
            int size = messageSize(s);
            if (longTasks ? s.holding.size() >= longTasksHeld() : s.holding.size() >= prefetch(s, size)) {
                return;
            }
            TaskBatch.Builder batch = TaskBatch.newBuilder();
            boolean idle = s.holding.isEmpty();
            if (!suspects.isEmpty()) {
                long index = suspects.pollFirst(); // alone, so that a task that kills workers is told apart
                batch.setFirst(index).setCount(1);
                s.holding.add(index, 1);
                s.isolating = true;
            } else if (!retries.isEmpty()) {
                while (batch.getIndexCount() < size && !retries.isEmpty()) {
                    long index = retries.pollFirst();
                    batch.addIndex(index);
                    s.holding.add(index, 1);
                }
            } else if (nextFresh < total) {
                long first = nextFresh;
                while (nextFresh - first < size && nextFresh < total && !finished.get((int) nextFresh)) {
                    nextFresh++;
                }
                batch.setFirst(first).setCount((int) (nextFresh - first));
                s.holding.add(first, nextFresh - first);
                skipFinished();
            } else {
                return;
            }
            args.appendArgs(batch);
            if (idle) { // an idle worker starts on this message's first task at once
                s.tally.currentTask = batch.getIndexCount() > 0 ? batch.getIndex(0) : batch.getFirst();
            }
            if (!s.send(CoordinatorMessage.newBuilder().setTasks(batch).build())) {
                lost(s, "could not be sent its tasks");
                return;
            }
            s.tally.state = "busy";
            if (firstTaskMillis == 0) {
                firstTaskMillis = System.currentTimeMillis();
            }
        }
    }

    /** Moves the fresh cursor past tasks already done (a resumed job). */
    private void skipFinished() {
        while (nextFresh < total && finished.get((int) nextFresh)) {
            nextFresh++;
        }
    }

    /**
     * How many long tasks a worker may hold: the one it runs and one queued behind it, so that the
     * round trip of a result and the next task hides behind the work (a remote worker's link may
     * take tens of ms); near the end of the job just the one it runs, so that no task waits behind
     * another while a worker is idle.
     */
    private int longTasksHeld() {
        long left = total - nextFresh + retries.size();
        return left > 2L * Math.max(1, sessions.size()) ? 2 : 1;
    }

    /**
     * How many tasks a worker with short tasks may hold: two messages, or when messages are small
     * (a fixed --chunksize), as many as make about PREFETCH_NANOS of work, so that round trips overlap.
     */
    private static long prefetch(WorkerSession s, int size) {
        if (s.taskNanos <= 0) {
            return 2L * size;
        }
        return Math.max(2L * size, Math.min(MAX_PREFETCH_TASKS, (long) (PREFETCH_NANOS / s.taskNanos)));
    }

    /** Tasks per message for this worker: a few ms of its work, smaller near the end of the job. */
    private int messageSize(WorkerSession s) {
        if (chunkSize > 0) {
            return chunkSize;
        }
        if (s.taskNanos <= 0) {
            return 1;
        }
        long size = Math.max(1, Math.min(MAX_TASKS_PER_MESSAGE, (long) (TARGET_MESSAGE_NANOS / s.taskNanos)));
        long left = total - nextFresh + retries.size();
        long tail = Math.max(1, left / (2L * Math.max(1, sessions.size())));
        return (int) Math.min(size, tail);
    }

    private static String indent(String trace) {
        return trace.isEmpty() ? "" : "  worker-side stack trace:\n    " + trace.strip().replace("\n", "\n    ");
    }
}
