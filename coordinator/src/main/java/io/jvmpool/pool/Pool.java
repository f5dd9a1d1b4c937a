package io.jvmpool.pool;

import io.jvmpool.args.ArgSource;
import io.jvmpool.args.ArgTable;
import io.jvmpool.shared.ProcessUsage;
import io.jvmpool.launch.WorkerLauncher;
import io.jvmpool.worker.TaskLoader;
import java.io.IOException;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool of worker JVMs, each its own OS process, that runs one kind of task: Python's
 * {@code multiprocessing.Pool} for the JVM.
 *
 * <pre>{@code
 * try (Pool pool = Pool.start(new PoolOptions().task("seed").property("loop", "1000"))) {
 *     List<TaskResult> results = pool.map(List.of(List.of(1, 2, 3, 4), List.of(5, 6, 7, 8)));
 * }
 * }</pre>
 *
 * The pool starts its workers at once and keeps them for every job run on it; a worker that dies
 * is replaced and its tasks handed to others. Jobs ({@code map}, {@code imap}, the tasks of
 * {@code submit}) run one after another; a job that fails leaves the pool usable. Close it to end
 * the workers.
 */
public final class Pool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pool.class);
    /** How far an {@code imap} reads its arguments ahead of the results taken, by default. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 100_000;

    /** The coordinator can't listen where it was asked to (the port is taken, or the address is not this machine's). */
    public static final class ListenException extends IOException {
        ListenException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The options of the pool and of its current task (a retask swaps them for the next task's). */
    private volatile PoolOptions options;
    private final Scheduler scheduler;
    private final WorkerServer server;
    private final WorkerHub hub;
    private final LocalWorkers workers;
    private volatile long startedNanos = System.nanoTime();
    private volatile long startedMillis = System.currentTimeMillis();
    private volatile long allReadyMillis;
    /** The workers someone waits for before the job starts (--min-workers), for the live view. */
    private volatile int awaitedWorkers;
    /** The job that submitted tasks join, while it takes more. */
    private Submissions submissions;
    private final Liveness liveness;
    private final List<java.util.concurrent.ScheduledFuture<?>> watching = new java.util.ArrayList<>();
    private final ScheduledExecutorService healthCheck = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jvmpool-health");
        t.setDaemon(true);
        return t;
    });

    private Pool(PoolOptions options) throws IOException {
        this.options = options;
        this.scheduler = new Scheduler(options.maxAttempts, options.chunkSize, options.maxTasksPerWorker, new Scheduler.Events() {
            @Override
            public void ready(WorkerSession s) {
                workerReady(s);
            }

            @Override
            public void end(WorkerSession s, String why) {
                endWorker(s, why);
            }

            @Override
            public void retiring(WorkerSession s) {
                workers.recycle(s.index(), s.pid());
            }
        }, System::nanoTime);
        AtomicInteger nextRemoteIndex = new AtomicInteger(options.workers);
        this.hub = new WorkerHub(scheduler, WorkerSetup.setup(options), options.token, options.dtypes(), this::localIndex,
                nextRemoteIndex::getAndIncrement, r -> StatusReplies.of(snapshot()));
        try {
            this.server = WorkerServer.start(options, hub.service());
        } catch (WorkerServer.CantListen e) {
            throw new ListenException(e.getMessage(), e);
        }
        this.workers = new LocalWorkers(new WorkerLauncher(server.localDialAddress(), options.workerJvmFlags, options.token,
                options.classDataSharing, WorkerSetup.tlsArguments(options)), scheduler, options.workers);
        this.liveness = new Liveness(options.silenceLimit.toNanos(), options.taskTimeout.toNanos(),
                TimeUnit.MILLISECONDS.toNanos(Math.max(300, WorkerSetup.heartbeatMillis(options))));
        watch();
    }

    /** The health check (10 times a second) and the reading of the workers' CPU and memory (each second). */
    private synchronized void watch() {
        if (watching.isEmpty()) {
            healthCheck.execute(liveness::resume); // on the checks' own thread, before the first of them
            watching.add(healthCheck.scheduleWithFixedDelay(() -> scheduler.checkHealth(liveness), 100, 100, TimeUnit.MILLISECONDS));
            watching.add(healthCheck.scheduleWithFixedDelay(() -> scheduler.tallies().sampleLocal(ProcessUsage::read, System.nanoTime()),
                    0, 1, TimeUnit.SECONDS));
        }
    }

    /**
     * Between a warm pool's jobs: no health check and no reading of the workers until {@link #retask},
     * so that an idle pool costs no CPU of its own (its workers still send a heartbeat each second).
     */
    public synchronized void idle() {
        watching.forEach(f -> f.cancel(false));
        watching.clear();
    }

    /**
     * Checks the task, starts listening and starts the local workers. Returns at once: workers join
     * as they come up, and tasks go to each as soon as it has joined.
     *
     * @throws IllegalArgumentException when the task can't be found or doesn't implement the task API
     */
    public static Pool start(PoolOptions options) throws IOException {
        TaskLoader.find(options.task, TaskLoader.classLoader(options.taskJars));
        Pool pool = new Pool(options);
        try {
            pool.workers.startAll();
        } catch (IOException | RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    /**
     * Runs the jobs from now on with another task (and its jars, properties, outputs and dtypes) on
     * the same worker JVMs, as a warm pool does between jobs: each worker loads it afresh (task jars
     * through a new class loader, so that one job's static state never reaches the next) and takes
     * tasks again once it is set up. Call between jobs. The timeline and what each worker did count
     * from now.
     *
     * @throws IllegalArgumentException when {@code next} differs in a setting of the pool itself
     *                                  ({@link PoolOptions#poolDifference}) or its task can't be found
     */
    public synchronized void retask(PoolOptions next) throws IOException {
        String why = options.poolDifference(next);
        if (why != null) {
            throw new IllegalArgumentException("this pool can't run that job: " + why);
        }
        ClassLoader loader = TaskLoader.classLoader(next.taskJars);
        try {
            TaskLoader.find(next.task, loader);
        } finally {
            if (loader instanceof java.io.Closeable jars) {
                jars.close();
            }
        }
        io.jvmpool.proto.TaskSetup setup = WorkerSetup.setup(next);
        hub.retask(setup, next.dtypes());
        options = next;
        startedNanos = System.nanoTime();
        startedMillis = System.currentTimeMillis();
        allReadyMillis = 0;
        scheduler.retask(setup);
        watch();
    }

    /**
     * Replaces every local worker by a fresh JVM, without a word or a death counted: after a job that
     * failed or was cancelled, so that nothing of it (a task still running, threads it left) reaches
     * the next. Returns at once; the new workers join as they come up.
     */
    public void replaceWorkers() {
        workers.replaceAll();
    }

    /** Why this pool can't run a job with {@code next}'s options ({@link PoolOptions#poolDifference}), or null. */
    public String poolDifference(PoolOptions next) {
        return options.poolDifference(next);
    }

    /**
     * Ends the job running now, as if it failed with {@code why} (results still to come are dropped),
     * and replaces every local worker, quietly: what ran is stopped, and the pool stays usable.
     */
    public void cancelJob(String why) {
        scheduler.fail(why);
        workers.replaceAll();
    }

    /** The port workers dial. */
    public int port() {
        return server.port();
    }

    /** The address workers dial, {@code HOST:PORT}: the advertised host if there is one, else the listen address. */
    public String address() {
        return (options.advertisedHost != null ? options.advertisedHost : options.listenHost) + ":" + port();
    }

    /** The address this machine's clients (the status command) dial, {@code HOST:PORT}. */
    public String localAddress() {
        return options.listenHost + ":" + port();
    }

    /** How many workers are connected now. */
    public int connectedWorkers() {
        return scheduler.workerCount();
    }

    /** Waits until {@code n} workers are connected; false when that took longer than the timeout. */
    public boolean awaitWorkers(int n, long timeout, TimeUnit unit) throws InterruptedException {
        awaitedWorkers = n;
        return scheduler.awaitWorkers(n, unit.toMillis(timeout));
    }

    /**
     * Runs one task per row of {@code args}, handing each result to {@code sink} as it arrives,
     * and returns when all are in. Waits first for a job that runs already.
     *
     * @param alreadyDone tasks not to run (their results are already kept elsewhere)
     * @throws JobFailedException when a task failed (and the sink did not skip it), a task kept
     *                            killing its workers, or workers could not be kept running
     */
    public void run(ArgSource args, ResultSink sink, BitSet alreadyDone) throws JobFailedException, InterruptedException {
        scheduler.begin(args, sink, alreadyDone);
        scheduler.awaitJob();
    }

    public void run(ArgSource args, ResultSink sink) throws JobFailedException, InterruptedException {
        run(args, sink, new BitSet());
    }

    /** Runs one task per row of arguments (numbers, or text as {@code String}s); the results come back in the order of the rows. */
    public List<TaskResult> map(List<? extends List<?>> args) throws JobFailedException, InterruptedException {
        TaskResult[] results = new TaskResult[args.size()];
        run(ArgTable.rows(args), (first, rows) -> {
            for (int i = 0; i < rows.count(); i++) {
                results[(int) first + i] = new TaskResult(first + i, options.dtypes(), rows, i);
            }
        });
        return List.of(results);
    }

    /**
     * Runs one task per row of arguments, read lazily, and yields the results as they finish. At
     * most {@link #DEFAULT_MAX_IN_FLIGHT} rows are read ahead of the results taken. A task that
     * throws ends the job: {@code next()} throws its {@link TaskFailedException}; any other failure
     * of the job comes out of {@code next()} as an {@link IllegalStateException}. Read the iterator
     * to its end (or to an exception): the pool's next job waits until this one ends.
     */
    public Iterator<TaskResult> imapUnordered(Iterable<? extends List<?>> args) {
        return imapUnordered(args, DEFAULT_MAX_IN_FLIGHT);
    }

    /** As {@link #imapUnordered(Iterable)}, reading at most {@code maxInFlight} rows ahead (Python's {@code buffersize}). */
    public Iterator<TaskResult> imapUnordered(Iterable<? extends List<?>> args, int maxInFlight) {
        return iterate(args, false, maxInFlight);
    }

    /** As {@link #imapUnordered(Iterable)}, but yields the results in the order of the rows. */
    public Iterator<TaskResult> imap(Iterable<? extends List<?>> args) {
        return imap(args, DEFAULT_MAX_IN_FLIGHT);
    }

    /** As {@link #imap(Iterable)}, reading at most {@code maxInFlight} rows ahead of the results taken. */
    public Iterator<TaskResult> imap(Iterable<? extends List<?>> args, int maxInFlight) {
        return iterate(args, true, maxInFlight);
    }

    private Iterator<TaskResult> iterate(Iterable<? extends List<?>> args, boolean ordered, int maxInFlight) {
        ResultIterator results = new ResultIterator(ordered, options.dtypes(), io.jvmpool.args.ArgStream.bounded(maxInFlight));
        Thread feeder = new Thread(() -> results.feed(scheduler, args), ordered ? "jvmpool-imap" : "jvmpool-imap-unordered");
        feeder.setDaemon(true);
        feeder.start();
        return results;
    }

    /**
     * Runs one task with these arguments; the future completes with its result, or exceptionally
     * with a {@link TaskFailedException} when the task throws. Cancelling it takes a queued task out
     * of the queue, and ends the worker that runs it now (a local worker is replaced). Tasks
     * submitted while others run join their job.
     */
    public CompletableFuture<TaskResult> submit(List<?> args) throws InterruptedException {
        CompletableFuture<TaskResult> future;
        synchronized (this) {
            future = submissions == null ? null : submissions.add(args);
            if (future == null) {
                Submissions job = new Submissions(scheduler, options.dtypes());
                future = job.add(args);
                submissions = job;
                Thread runner = new Thread(job::run, "jvmpool-submitted");
                runner.setDaemon(true);
                runner.start();
            }
        }
        scheduler.fed();
        return future;
    }

    /** Ends the job (if one runs) and the workers: each gets the end of its stream and of its stdin. */
    @Override
    public void close() {
        server.stopping();
        healthCheck.shutdownNow();
        scheduler.finishAll();
        workers.stop();
        server.close();
    }

    /** Kills every local worker at once (Ctrl-C) and waits up to a second until they are gone. */
    public void killWorkers() {
        scheduler.stopping(); // workers ended now are not lost ones: no task goes back, nobody is warned of them
        workers.killAll();
    }

    /** The pids of the local worker processes running now. */
    public List<Long> localWorkerPids() {
        return workers.pids();
    }

    /** The job and every worker now, for the live view and the run report. */
    public PoolSnapshot snapshot() {
        return scheduler.snapshot(options.task, (System.nanoTime() - startedNanos) / 1e9, workersWanted());
    }

    /** Reads every local worker's CPU and memory now (they are read once a second otherwise). */
    public PoolSnapshot freshSnapshot() {
        scheduler.tallies().sampleLocal(ProcessUsage::read, System.nanoTime());
        return snapshot();
    }

    /** When the pool reached its milestones, in seconds since this JVM started. */
    public Timeline timeline() {
        long jvmStart = Timeline.origin();
        JobStats stats = scheduler.stats();
        return new Timeline(since(jvmStart, startedMillis), since(jvmStart, allReadyMillis),
                since(jvmStart, stats.firstTaskMillis()), since(jvmStart, stats.firstResultMillis()));
    }

    private static double since(long origin, long millis) {
        return millis == 0 ? 0 : (millis - origin) / 1000.0;
    }

    /** The workers the job starts with: its local ones, or as many as someone waits for (--min-workers). */
    private int workersWanted() {
        return Math.max(options.workers, awaitedWorkers);
    }

    /** Ends a worker that hangs, is too slow or runs a cancelled task: a local one is killed (and replaced); a remote one loses its stream. */
    private void endWorker(WorkerSession s, String why) {
        LOG.warn("worker {} {}: ending it", s.name(), why);
        if (s.isLocal()) {
            workers.kill(s.index(), s.pid());
        }
        scheduler.end(s, why);
    }

    /** Logs when a replacement is ready, and how long after its predecessor died. */
    private void workerReady(WorkerSession s) {
        if (allReadyMillis == 0 && scheduler.workerCount() >= Math.max(1, workersWanted())) {
            allReadyMillis = System.currentTimeMillis();
        }
        Long since = s.isLocal() ? workers.replacedSince(s.index()) : null;
        if (since != null) {
            LOG.info("worker {} is ready in place of the one that ended {} ms before", s.name(), TimeUnit.NANOSECONDS.toMillis(since));
        } else {
            LOG.debug("worker {} is ready", s.name());
        }
    }

    /** The index of the local worker that sent this hello, or -1 for a worker that dialed in by itself. */
    private int localIndex(io.jvmpool.proto.Hello hello) {
        return workers.indexOf(hello);
    }

}
