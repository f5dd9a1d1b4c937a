package io.jvmpool.worker;

import io.jvmpool.shared.BootId;
import io.jvmpool.shared.ProcessName;
import io.jvmpool.shared.Wire;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.jvmpool.api.Task;
import io.jvmpool.proto.CoordinatorGrpc;
import io.jvmpool.proto.CoordinatorMessage;
import io.jvmpool.proto.Heartbeat;
import io.jvmpool.proto.Hello;
import io.jvmpool.proto.JarRequest;
import io.jvmpool.proto.TaskSetup;
import io.jvmpool.proto.TaskJar;
import io.jvmpool.proto.Ready;
import io.jvmpool.proto.WorkerMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A worker's one stream to its coordinator: says hello, takes its setup, then runs each chunk of tasks
 * it is sent on the calling thread and sends back the results, until the coordinator ends the stream.
 */
final class WorkerConnection {
    /** What the stream observer hands to the task thread: a message, or the end of the stream. */
    private record Inbound(CoordinatorMessage message, Status end) {
    }

    /** How long a worker whose stream is gone waits for its running task before it halts. */
    private static final long STUCK_MILLIS = 1000;
    private static final int SEND_BUFFER_BYTES = 16 << 20;

    private final ManagedChannel channel;
    private final Hello hello;
    private final JarCache jarCache = JarCache.inUserCache();
    private final BlockingQueue<Inbound> inbound = new LinkedBlockingQueue<>();
    /** Where a local worker writes its rows itself (the coordinator says where, per batch); one per stream. */
    private volatile InPlaceRows inPlace;
    private ClientCallStreamObserver<WorkerMessage> requests;
    private volatile boolean streamEnded;
    private volatile TaskRunner runner;
    /** The class loader of the current job's task (the worker's own for built-in tasks). */
    private ClassLoader taskLoader;
    /** True while a task or the task's setup runs on the task thread. */
    private volatile boolean working;
    private final String target;

    private final java.time.Duration connectTimeout;
    /** The coordinator's output folder as mounted here (--out), or null: batch files are then at the coordinator's paths. */
    private final Path outFolder;

    WorkerConnection(ManagedChannel channel, String target, Hello hello, java.time.Duration connectTimeout, Path outFolder) {
        this.target = target;
        this.channel = channel;
        this.hello = hello;
        this.connectTimeout = connectTimeout;
        this.outFolder = outFolder;
    }

    /** Runs until the stream ends; returns the process exit code (0 when the coordinator ended it cleanly). */
    int run() throws InterruptedException {
        Inbound first = connect();
        if (first == null) {
            return 1;
        }
        if (first.end != null) {
            return ended(first.end);
        }
        if (!first.message.hasSetup()) {
            return refused(first.message);
        }
        TaskSetup setup = first.message.getSetup();
        if (setup.getWorkerIndex() >= 0) {
            ProcessName.set(ProcessName.worker(setup.getWorkerIndex()));
        }
        // Heartbeats start before the task's setup, which may take long: the coordinator hears from us throughout.
        ScheduledExecutorService heartbeats = startHeartbeats(setup.getHeartbeatMillis());
        try {
            if (!setUp(setup)) {
                return 1;
            }
            while (true) {
                Inbound next = inbound.poll();
                if (next == null) { // nothing more queued: send what is done before waiting
                    runner.flush(this::send);
                    next = inbound.take();
                }
                if (next.end != null) {
                    return ended(next.end);
                }
                if (next.message.hasTasks()) {
                    working = true;
                    runner.run(next.message.getTasks(), this::send);
                    working = false;
                } else if (next.message.hasSetup()) {
                    // a warm pool's next job: its task comes from a class loader of its own
                    runner.flush(this::send);
                    if (TaskLoader.threadsLeftBy(taskLoader, Thread.currentThread())) {
                        System.err.println("jvmpool worker: threads of the last job's task still run: a fresh worker JVM takes over");
                        return Wire.EXIT_FOR_A_FRESH_JVM;
                    }
                    TaskLoader.close(taskLoader);
                    inPlace.reset(); // the last job's batch files are not this one's
                    if (!setUp(next.message.getSetup())) {
                        return 1;
                    }
                } else if (next.message.hasGoodbye()) {
                    return refused(next.message);
                }
            }
        } finally {
            heartbeats.shutdownNow();
        }
    }

    /** Loads and sets up the job's task, then says ready; false when that failed (and was said). */
    private boolean setUp(TaskSetup setup) {
        long setupStart = System.nanoTime();
        try {
            working = true;
            runner = newRunner(setup);
            working = false;
            send(WorkerMessage.newBuilder().setReady(Ready.newBuilder().setSetupSeconds((System.nanoTime() - setupStart) / 1e9)
                    .setSeesOutFolder(OutFolder.isTheJobs(outFolder, setup)).setBootId(BootId.get())).build());
            return true;
        } catch (Exception | LinkageError e) {
            send(WorkerMessage.newBuilder().setFailure(TaskRunner.failure(-1, e)).build());
            synchronized (this) {
                requests.onCompleted();
            }
            return false;
        }
    }

    /**
     * Dials until the coordinator answers the hello (with the setup, or a refusal), saying why while it
     * can't get in (nothing listening, TLS on one side only, a certificate that doesn't match), at
     * most every few seconds. Null when {@code --connect-timeout} passed first (said on stderr).
     */
    private Inbound connect() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + connectTimeout.toNanos();
        long retryMillis = 200;
        long lastSaid = 0;
        String lastReason = null;
        while (true) {
            openStream();
            Inbound first = inbound.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (first == null) {
                requests.cancel("no answer", null);
                System.err.println("jvmpool worker: gave up after " + connectTimeout.toSeconds() + " s (--connect-timeout): "
                        + (lastReason != null ? lastReason : "the coordinator at " + target + " accepted the connection but never answered"));
                return null;
            }
            if (first.end == null || first.end.getCode() != Status.Code.UNAVAILABLE) {
                return first;
            }
            String reason = "can't reach the coordinator at " + target + ": " + DialFailures.describe(first.end);
            long now = System.nanoTime();
            if (!reason.equals(lastReason) || now - lastSaid >= TimeUnit.SECONDS.toNanos(5)) {
                System.err.println("jvmpool worker: " + reason + "; trying again for "
                        + Math.max(0, TimeUnit.NANOSECONDS.toSeconds(deadline - now)) + " s more");
                lastSaid = now;
                lastReason = reason;
            }
            if (now + TimeUnit.MILLISECONDS.toNanos(retryMillis) >= deadline) {
                Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - now)));
                System.err.println("jvmpool worker: gave up after " + connectTimeout.toSeconds() + " s (--connect-timeout): " + reason);
                return null;
            }
            Thread.sleep(retryMillis);
            retryMillis = Math.min(2000, retryMillis * 2);
            channel.resetConnectBackoff(); // our own pace, not gRPC's (which grows to minutes)
        }
    }

    /** Opens a new stream (a new attempt) and sends the hello on it. */
    private void openStream() {
        inbound.clear();
        streamEnded = false;
        InPlaceRows rows = new InPlaceRows(outFolder);
        inPlace = rows;
        // A deep send buffer (onReady threshold) lets the task thread go on computing while a large
        // result drains, instead of waiting for each one to leave.
        CoordinatorGrpc.newStub(channel).withOnReadyThreshold(SEND_BUFFER_BYTES).work(new ClientResponseObserver<WorkerMessage, CoordinatorMessage>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WorkerMessage> stream) {
                requests = stream;
                stream.setOnReadyHandler(WorkerConnection.this::wakeSenders);
            }

            @Override
            public void onNext(CoordinatorMessage message) {
                if (message.hasGoodbye()) {
                    rows.stop();
                    haltIfStuck(); // told to go: a task that is running now must not hold this JVM
                }
                if (message.hasRowFiles()) {
                    // at once, not after the chunks queued before it: their results can go in place too
                    rows.add(message.getRowFiles());
                    return;
                }
                inbound.add(new Inbound(message, null));
            }

            @Override
            public void onError(Throwable t) {
                streamEnded = true;
                rows.stop();
                wakeSenders();
                haltIfStuck();
                inbound.add(new Inbound(null, Status.fromThrowable(t)));
            }

            @Override
            public void onCompleted() {
                streamEnded = true;
                rows.stop();
                wakeSenders();
                haltIfStuck();
                inbound.add(new Inbound(null, Status.OK));
            }
        });
        synchronized (this) {
            requests.onNext(WorkerMessage.newBuilder().setHello(hello).build()); // buffered until the stream is up
        }
    }

    /** Loads the task (its jars fetched if need be), asks what it declares, sets it up. */
    private TaskRunner newRunner(TaskSetup setup) throws Exception {
        List<Path> jars = new ArrayList<>();
        for (TaskJar jar : setup.getJarsList()) {
            jars.add(obtain(jar));
        }
        ClassLoader loader = TaskLoader.classLoader(jars);
        taskLoader = loader;
        Task task = TaskLoader.instantiate(TaskLoader.find(setup.getTask(), loader));
        List<io.jvmpool.api.Output> declared = task.outputs();
        Thread.currentThread().setContextClassLoader(loader);
        task.setup(setup.getPropertiesMap());
        return new TaskRunner(task, declared == null ? List.of() : declared, setup, inPlace);
    }

    /** A task jar from this machine, or else from the coordinator, over this stream. */
    private Path obtain(TaskJar jar) throws Exception {
        Optional<Path> have = jarCache.find(jar);
        if (have.isPresent()) {
            return have.get();
        }
        send(WorkerMessage.newBuilder().setJarRequest(JarRequest.newBuilder().setSha256(jar.getSha256())).build());
        try (JarCache.Download download = jarCache.new Download(jar)) {
            while (true) {
                Inbound next = inbound.take();
                if (next.end != null || !next.message.hasJarChunk()) {
                    throw new java.io.IOException("the coordinator did not send task jar " + jar.getName());
                }
                Optional<Path> done = download.accept(next.message.getJarChunk());
                if (done.isPresent()) {
                    return done.get();
                }
            }
        }
    }

    private ScheduledExecutorService startHeartbeats(int millis) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jvmpool-heartbeat");
            t.setDaemon(true);
            return t;
        });
        if (millis > 0) {
            timer.scheduleAtFixedRate(this::heartbeat, millis, millis, TimeUnit.MILLISECONDS);
        }
        return timer;
    }

    private void heartbeat() {
        TaskRunner r = runner;
        Heartbeat beat = Heartbeat.newBuilder()
                .setCpuSeconds(SelfUsage.cpuSeconds())
                .setRssBytes(SelfUsage.rssBytes())
                .setCurrentTask(r == null ? -1 : r.currentTask())
                .build();
        synchronized (this) {
            if (!streamEnded && requests.isReady()) { // a heartbeat behind a full stream would say nothing new
                requests.onNext(WorkerMessage.newBuilder().setHeartbeat(beat).build());
            }
        }
    }

    /** Sends one message, waiting while the stream's buffer is full (gRPC's flow control). */
    private synchronized void send(WorkerMessage message) {
        while (!requests.isReady() && !streamEnded) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!streamEnded) {
            requests.onNext(message);
        }
    }

    private synchronized void wakeSenders() {
        notifyAll();
    }

    /**
     * The stream is gone (or the coordinator gave up on us) while a task may still be running, and
     * may never return: nobody wants its result, so the JVM ends within a second if it is still at work.
     */
    private void haltIfStuck() {
        if (!working) {
            return;
        }
        Thread reaper = new Thread(() -> {
            try {
                Thread.sleep(STUCK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            if (working) {
                TaskRunner r = runner;
                System.err.println("jvmpool worker: the coordinator ended this worker's stream while "
                        + (r != null && r.currentTask() >= 0 ? "task " + r.currentTask() + " runs" : "its task's setup runs")
                        + ": exiting");
                Runtime.getRuntime().halt(1);
            }
        }, "jvmpool-reaper");
        reaper.setDaemon(true);
        reaper.start();
    }

    private int ended(Status status) {
        if (status.isOk()) {
            synchronized (this) {
                requests.onCompleted();
            }
            return 0;
        }
        System.err.println("jvmpool worker: lost the coordinator: " + status.getCode()
                + (status.getDescription() == null ? "" : " (" + status.getDescription() + ")"));
        return 1;
    }

    private int refused(CoordinatorMessage message) {
        System.err.println("jvmpool worker: the coordinator refused this worker: " + message.getGoodbye());
        synchronized (this) {
            requests.onCompleted();
        }
        return 1;
    }
}
