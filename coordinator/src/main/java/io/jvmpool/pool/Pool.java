package io.jvmpool.pool;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.jvmpool.args.ArgTable;
import io.jvmpool.launch.LocalWorker;
import io.jvmpool.launch.ProcessUsage;
import io.jvmpool.launch.WorkerLauncher;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.protobuf.services.HealthStatusManager;
import io.jvmpool.proto.CoordinatorGrpc;
import io.jvmpool.proto.Hello;
import io.jvmpool.proto.Job;
import io.jvmpool.proto.TaskJar;
import io.jvmpool.shared.Checksums;
import io.jvmpool.proto.StatusReply;
import io.jvmpool.proto.StatusRequest;
import io.jvmpool.proto.WorkerStatus;
import io.jvmpool.worker.TaskLoader;
import io.jvmpool.worker.WorkerMain;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
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
 * is replaced and its tasks handed to others. Close it to end the workers. A pool whose job failed
 * takes no further job.
 */
public final class Pool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Pool.class);

    /** The coordinator can't listen where it was asked to (the port is taken, or the address is not this machine's). */
    public static final class ListenException extends IOException {
        ListenException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final PoolOptions options;
    private final Scheduler scheduler;
    private final Server server;
    private final WorkerLauncher launcher;
    private final Map<Integer, LocalWorker> localWorkers = new ConcurrentHashMap<>();
    private final AtomicInteger nextRemoteIndex;
    private final AtomicInteger deathsWithoutProgress = new AtomicInteger();
    /** When each replaced local worker died, by index, until its replacement is ready. */
    private final Map<Integer, Long> deathTimes = new ConcurrentHashMap<>();
    private final long startedNanos = System.nanoTime();
    private final long startedMillis = System.currentTimeMillis();
    private volatile long allReadyMillis;
    private volatile boolean closing;
    private final HealthStatusManager health = new HealthStatusManager();
    private final ScheduledExecutorService healthCheck = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jvmpool-health");
        t.setDaemon(true);
        return t;
    });

    private Pool(PoolOptions options) throws IOException {
        this.options = options;
        this.scheduler = new Scheduler(options.maxAttempts, options.chunkSize, this::workerReady);
        this.nextRemoteIndex = new AtomicInteger(options.workers);
        Job job = Job.newBuilder()
                .setTask(options.task)
                .addAllJars(taskJars(options.taskJars))
                .putAllProperties(options.properties)
                .setDtype(options.dtype.wire())
                .setOutputs(options.outputs)
                .setHeartbeatMillis(heartbeatMillis(options))
                .build();
        WorkerHub hub = new WorkerHub(scheduler, job, options.token, options.dtype.size(), this::localIndex,
                nextRemoteIndex::getAndIncrement, this::status);
        try {
            NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(options.listenHost, options.listenPort));
            if (options.tlsCertificate != null) {
                builder.sslContext(GrpcSslContexts.forServer(options.tlsCertificate.toFile(), options.tlsKey.toFile()).build());
            }
            this.server = builder
                    .addService(hub)
                    .addService(health.getHealthService())
                    .addTransportFilter(new StrangerFilter())
                    .maxInboundMessageSize(options.maxMessageBytes)
                    .flowControlWindow(WorkerMain.FLOW_CONTROL_WINDOW)
                    // the handlers never block: running them on the network thread saves a thread hand-off per message
                    .directExecutor()
                    .permitKeepAliveTime(10, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(true)
                    .build()
                    .start();
        } catch (IOException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ListenException("can't listen on " + options.listenHost + ":" + options.listenPort + " ("
                    + cause.getMessage() + ")" + (cause instanceof BindException ? ": choose another port with --listen" : ""), e);
        }
        String dialHost = options.listenHost.equals("0.0.0.0") || options.listenHost.equals("::")
                ? "127.0.0.1" : options.listenHost;
        health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
        health.setStatus(CoordinatorGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING);
        this.launcher = new WorkerLauncher(dialHost + ":" + port(), options.workerJvmFlags, options.token,
                options.classDataSharing, tlsArguments(options));
        long silence = options.silenceLimit.toNanos();
        long timeout = options.taskTimeout.toNanos();
        long stall = TimeUnit.MILLISECONDS.toNanos(Math.max(300, heartbeatMillis(options)));
        healthCheck.scheduleWithFixedDelay(() -> scheduler.checkHealth(silence, timeout, stall, this::kill),
                100, 100, TimeUnit.MILLISECONDS);
        healthCheck.scheduleWithFixedDelay(() -> scheduler.sampleLocal(ProcessUsage::read), 0, 1, TimeUnit.SECONDS);
    }

    /** What local workers need to speak TLS to us: our certificate to trust, and the name in it. */
    private static List<String> tlsArguments(PoolOptions options) throws IOException {
        if (options.tlsCertificate == null) {
            return List.of();
        }
        List<String> args = new ArrayList<>(List.of("--tls-ca", options.tlsCertificate.toAbsolutePath().toString()));
        String authority = io.jvmpool.shared.Tls.authorityFor(options.tlsCertificate);
        if (authority != null) {
            args.addAll(List.of("--tls-authority", authority));
        }
        return args;
    }

    /** The job's task jars as workers see them: name, hash, size, and where they are here. */
    private static List<TaskJar> taskJars(List<java.nio.file.Path> jars) throws IOException {
        List<TaskJar> out = new ArrayList<>();
        for (java.nio.file.Path jar : jars) {
            java.nio.file.Path p = jar.toAbsolutePath().normalize();
            out.add(TaskJar.newBuilder().setName(p.getFileName().toString()).setSha256(Checksums.sha256(p))
                    .setSize(java.nio.file.Files.size(p)).setPath(p.toString()).build());
        }
        return out;
    }

    /** Heartbeats often enough to notice a task timeout in time, at most once a second. */
    private static int heartbeatMillis(PoolOptions options) {
        long millis = options.taskTimeout.isZero() ? 1000 : options.taskTimeout.toMillis() / 4;
        return (int) Math.max(50, Math.min(1000, Math.min(millis, options.silenceLimit.toMillis() / 4)));
    }

    /** Ends a worker that is hung or too slow: a local one's process is killed (and replaced); a remote one loses its stream. */
    private void kill(WorkerSession s, String why) {
        LOG.warn("worker {} {}: ending it", s.name(), why);
        LocalWorker local = s.local ? localWorkers.get(s.index) : null;
        if (local != null) {
            local.kill();
        }
        s.refuse(why);
        scheduler.lost(s, why);
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
            for (int i = 0; i < options.workers; i++) {
                pool.startWorker(i);
            }
        } catch (IOException | RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    /** The port workers dial. */
    public int port() {
        return server.getPort();
    }

    /** The address workers dial, {@code HOST:PORT}. */
    public String address() {
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
     * and returns when all are in.
     *
     * @param alreadyDone tasks not to run (their results are already kept elsewhere)
     * @throws JobFailedException when a task failed (and the sink did not skip it), a task kept
     *                            killing its workers, or workers could not be kept running
     */
    public void run(ArgTable args, ResultSink sink, BitSet alreadyDone) throws JobFailedException, InterruptedException {
        scheduler.begin(args, sink, alreadyDone);
        scheduler.awaitJob(() -> { });
    }

    public void run(ArgTable args, ResultSink sink) throws JobFailedException, InterruptedException {
        run(args, sink, new BitSet());
    }

    /** Runs one task per row of arguments; the results come back in the order of the rows. */
    public List<TaskResult> map(List<? extends List<? extends Number>> args) throws JobFailedException, InterruptedException {
        TaskResult[] results = new TaskResult[args.size()];
        run(ArgTable.rows(args), (first, rows) -> {
            for (int i = 0; i < rows.count(); i++) {
                results[(int) first + i] = new TaskResult(first + i, options.dtype, rows, i);
            }
        });
        return List.of(results);
    }

    /**
     * Runs one task per row of arguments on a background thread; the iterator yields each result as
     * it arrives. Its {@code next()} throws {@link IllegalStateException} when the job fails.
     */
    public Iterator<TaskResult> imapUnordered(List<? extends List<? extends Number>> args) {
        BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
        ArgTable table = ArgTable.rows(args);
        Thread runner = new Thread(() -> {
            try {
                run(table, (first, rows) -> {
                    for (int i = 0; i < rows.count(); i++) {
                        arrived.add(new TaskResult(first + i, options.dtype, rows, i));
                    }
                });
            } catch (JobFailedException | InterruptedException e) {
                arrived.add(e);
            }
        }, "jvmpool-imap");
        runner.setDaemon(true);
        runner.start();
        return new Iterator<>() {
            private int returned;

            @Override
            public boolean hasNext() {
                return returned < args.size();
            }

            @Override
            public TaskResult next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    Object next = arrived.take();
                    if (next instanceof Exception e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                    returned++;
                    return (TaskResult) next;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        };
    }

    /** Ends the job (if one runs) and the workers: each gets the end of its stream and of its stdin. */
    @Override
    public void close() {
        closing = true;
        health.enterTerminalState();
        healthCheck.shutdownNow();
        scheduler.finishAll();
        for (LocalWorker w : localWorkers.values()) {
            w.stop();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (LocalWorker w : localWorkers.values()) {
            // the worker that writes the class data archive needs a few seconds more, once
            long grace = w.makesArchive() ? TimeUnit.SECONDS.toMillis(20) : 0;
            if (!w.awaitExit(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + grace))) {
                w.kill();
            }
        }
        for (LocalWorker w : localWorkers.values()) {
            w.awaitExit(1000);
        }
        server.shutdownNow();
        try {
            server.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills every local worker at once (Ctrl-C) and waits up to a second until they are gone. */
    public void killWorkers() {
        closing = true;
        for (LocalWorker w : localWorkers.values()) {
            w.kill();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (LocalWorker w : localWorkers.values()) {
            w.awaitExit(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    /** The pids of the local worker processes running now. */
    public List<Long> localWorkerPids() {
        List<Long> pids = new ArrayList<>();
        for (LocalWorker w : localWorkers.values()) {
            if (!w.exit().isDone() && w.pid() > 0) {
                pids.add(w.pid());
            }
        }
        return pids;
    }

    /** The job and every worker now, for the live view and the run report. */
    public PoolSnapshot snapshot() {
        return scheduler.snapshot(options.task, (System.nanoTime() - startedNanos) / 1e9,
                workersWanted());
    }

    /** Reads every local worker's CPU and memory now (they are read once a second otherwise). */
    public PoolSnapshot freshSnapshot() {
        scheduler.sampleLocal(ProcessUsage::read);
        return snapshot();
    }

    /** When the pool reached its milestones, in seconds since this JVM started. */
    public Timeline timeline() {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        return new Timeline(since(jvmStart, startedMillis), since(jvmStart, allReadyMillis),
                since(jvmStart, scheduler.firstTaskMillis()), since(jvmStart, scheduler.firstResultMillis()));
    }

    private static double since(long origin, long millis) {
        return millis == 0 ? 0 : (millis - origin) / 1000.0;
    }

    /** The workers someone waits for before the job starts (--min-workers), for the live view. */
    private volatile int awaitedWorkers;

    /** The workers the job starts with: its local ones, or as many as someone waits for (--min-workers). */
    private int workersWanted() {
        return Math.max(options.workers, awaitedWorkers);
    }

    /** The answer to {@code jvmpool status}. */
    private StatusReply status(StatusRequest request) {
        PoolSnapshot now = snapshot();
        StatusReply.Builder reply = StatusReply.newBuilder()
                .setTask(now.task()).setTasksTotal(now.tasksTotal()).setTasksDone(now.tasksDone())
                .setTasksFailed(now.tasksFailed()).setTasksRetried(now.tasksRetried())
                .setElapsedSeconds(now.elapsedSeconds())
                .setWorkersReady(now.workersReady()).setWorkersWanted(now.workersWanted());
        for (WorkerView w : now.workers()) {
            reply.addWorkers(WorkerStatus.newBuilder()
                    .setIndex(w.index()).setPid(w.pid()).setHost(w.host()).setLocal(w.local()).setState(w.state())
                    .setTasksDone(w.tasksDone()).setCurrentTask(w.currentTask())
                    .setCpuPercent(w.cpuPercent()).setRssBytes(w.rssBytes()).setCpuSeconds(w.cpuSeconds())
                    .setBusySeconds(w.busySeconds()).setRestarts(w.restarts()));
        }
        return reply.build();
    }

    private void startWorker(int index) throws IOException {
        long progressMark = scheduler.resultsEver();
        LocalWorker worker = launcher.start(index, w -> workerExited(w, progressMark));
        localWorkers.put(index, worker);
        scheduler.starting(index, worker.pid());
    }

    /** Logs when a replacement is ready, and how long after its predecessor died. */
    private void workerReady(WorkerSession s) {
        if (allReadyMillis == 0 && scheduler.workerCount() >= Math.max(1, workersWanted())) {
            allReadyMillis = System.currentTimeMillis();
        }
        Long diedAt = s.local ? deathTimes.remove(s.index) : null;
        if (diedAt != null) {
            LOG.info("worker {} is ready in place of the one that ended {} ms before", s.name(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - diedAt));
        } else {
            LOG.debug("worker {} is ready", s.name());
        }
    }

    /** A local worker's process ended: hand its tasks to others and start another in its place. */
    private void workerExited(LocalWorker w, long progressMarkAtStart) {
        WorkerSession session = scheduler.localSession(w.index());
        String why = "exited with code " + w.exit().getNow(-1);
        if (session != null) {
            scheduler.lost(session, why);
        }
        scheduler.exited(w.index());
        if (closing) {
            return;
        }
        int deaths = scheduler.resultsEver() > progressMarkAtStart ? 0 : deathsWithoutProgress.incrementAndGet();
        if (deaths == 0) {
            deathsWithoutProgress.set(0);
        }
        int limit = Math.max(3, 2 * options.workers + 1);
        if (deaths >= limit) {
            scheduler.fail(deaths + " worker JVMs in a row ended before any task finished (last: worker w" + w.index() + " "
                    + why + "); see the worker log lines above");
            return;
        }
        LOG.warn("worker w{} {}: starting a new one in its place", w.index(), why);
        deathTimes.put(w.index(), System.nanoTime());
        try {
            startWorker(w.index());
        } catch (IOException e) {
            scheduler.fail("can't start a worker JVM: " + e.getMessage());
        }
    }

    /** The index of the local worker that sent this hello, or -1 for a worker that dialed in by itself. */
    private int localIndex(Hello hello) {
        LocalWorker w = localWorkers.get(hello.getIndex());
        return w != null && w.pid() == hello.getPid() ? hello.getIndex() : -1;
    }
}
