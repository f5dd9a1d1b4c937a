package io.jvmpool.pool;

import io.jvmpool.launch.JitThresholds;
import io.jvmpool.rows.DType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How to start a {@link Pool}: the task its workers run and how many workers. Setters chain. */
public final class PoolOptions {
    /**
     * Flags for worker JVMs, which compute for a while and hold little: the serial collector (no GC
     * threads competing with the task), no perf data file, exit on out-of-memory (the task is then
     * retried elsewhere), a small first heap, so that a worker's young generation, and with it its
     * resident memory, stays small until the task needs more, and the JIT's thresholds of
     * {@link JitThresholds}.
     */
    public static final List<String> DEFAULT_WORKER_JVM_FLAGS = List.of(
            "-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError", "-Xms24m", JitThresholds.FLAG);

    String task = "seed";
    List<Path> taskJars = new ArrayList<>();
    Map<String, String> properties = new LinkedHashMap<>();
    DType dtype = DType.FLOAT32;
    int outputs = 3;
    /** Each output's dtype, when set; otherwise every output is {@link #dtype}. */
    List<DType> outputTypes;
    int workers = Runtime.getRuntime().availableProcessors();
    String listenHost = "127.0.0.1";
    int listenPort = 0;
    String advertisedHost;
    String outProbe;
    byte[] outSecret;
    String token;
    int maxAttempts = 3;
    List<String> workerJvmFlags = new ArrayList<>(DEFAULT_WORKER_JVM_FLAGS);
    int heartbeatMillis = 1000;
    Duration silenceLimit = Duration.ofSeconds(10);
    Duration taskTimeout = Duration.ZERO;
    int maxMessageBytes = io.jvmpool.shared.Wire.MAX_MESSAGE_BYTES;
    boolean classDataSharing = true;
    int chunkSize;
    /** Tasks a local worker runs before it is replaced by a fresh JVM (0: no limit). */
    int maxTasksPerWorker;
    /** The arguments' names (an args file's header), for the workers' messages. */
    List<String> argNames = List.of();
    Path tlsCertificate;
    Path tlsKey;

    /** A built-in task name or a class implementing {@code io.jvmpool.api.Task}. */
    public PoolOptions task(String nameOrClass) {
        this.task = nameOrClass;
        return this;
    }

    /** Jars that hold the task class and what it needs. */
    public PoolOptions taskJars(List<Path> jars) {
        this.taskJars = new ArrayList<>(jars);
        return this;
    }

    /** A property handed to the task's setup in every worker. */
    public PoolOptions property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public PoolOptions properties(Map<String, String> values) {
        properties.putAll(values);
        return this;
    }

    /** The type results are converted to, in the workers (of every output not given its own). */
    public PoolOptions dtype(DType type) {
        this.dtype = type;
        return this;
    }

    /** How many outputs each task sets. */
    public PoolOptions outputs(int count) {
        this.outputs = count;
        if (outputTypes != null && outputTypes.size() != count) {
            outputTypes = null;
        }
        return this;
    }

    /** Each output's type, in order (also sets how many outputs each task sets). */
    public PoolOptions outputTypes(List<DType> types) {
        this.outputTypes = List.copyOf(types);
        this.outputs = types.size();
        return this;
    }

    /** How many worker JVMs to start on this machine (0: only workers that dial in). */
    public PoolOptions workers(int count) {
        this.workers = count;
        return this;
    }

    /** The address the coordinator listens on for workers; port 0 picks a free one. */
    public PoolOptions listen(String host, int port) {
        this.listenHost = host;
        this.listenPort = port;
        return this;
    }

    /**
     * The host name or address that workers dial, when it is not the one listened on (a wildcard
     * listen, a gateway, a Service); null for the listen address.
     */
    public PoolOptions advertise(String host) {
        this.advertisedHost = host;
        return this;
    }

    /**
     * A file in the job's output folder holding {@code secret}: a worker that dials in with that folder
     * mounted (--out) finds it and then writes its rows into the batch files itself.
     */
    public PoolOptions outputProbe(String fileName, byte[] secret) {
        this.outProbe = fileName;
        this.outSecret = secret.clone();
        return this;
    }

    /** A shared secret every worker must present; null for none. */
    public PoolOptions token(String value) {
        this.token = value;
        return this;
    }

    /** The secret workers present, or null. */
    public String token() {
        return token;
    }

    /** How many times a task may take its worker down before the job fails. */
    public PoolOptions maxAttempts(int attempts) {
        this.maxAttempts = attempts;
        return this;
    }

    /** The flags each local worker JVM starts with (replacing the defaults). */
    public PoolOptions workerJvmFlags(List<String> flags) {
        this.workerJvmFlags = new ArrayList<>(flags);
        return this;
    }

    /** A worker not heard from for this long (no heartbeat) is taken for dead. */
    public PoolOptions silenceLimit(Duration limit) {
        this.silenceLimit = limit;
        return this;
    }

    /** A task running longer is abandoned: its worker is killed and the task retried (zero: no limit). */
    public PoolOptions taskTimeout(Duration timeout) {
        this.taskTimeout = timeout;
        return this;
    }

    /** Whether workers share class data through an AppCDS archive (made on first use); on by default. */
    public PoolOptions classDataSharing(boolean on) {
        this.classDataSharing = on;
        return this;
    }

    /**
     * Tasks per message, fixed (Python's {@code chunksize}); 0, the default, sizes each message to a
     * few milliseconds of the worker's measured work.
     */
    public PoolOptions chunkSize(int tasks) {
        this.chunkSize = tasks;
        return this;
    }

    /**
     * After {@code tasks} tasks a local worker is replaced by a fresh JVM with the same index (Python's
     * {@code maxtasksperchild}), for task code that leaks; the replacement starts as the worker is
     * handed its last task, so that no core waits for it. 0, the default: workers are kept. Workers
     * that dial in are not recycled.
     */
    public PoolOptions maxTasksPerWorker(int tasks) {
        this.maxTasksPerWorker = tasks;
        return this;
    }

    /** Serve TLS with this certificate chain and private key (PEM); workers then need the certificate or its CA. */
    public PoolOptions tls(Path certificate, Path key) {
        this.tlsCertificate = certificate;
        this.tlsKey = key;
        return this;
    }

    /** The arguments' names (an args file's header), which a task's messages name them by; empty to name them by position. */
    public PoolOptions argNames(List<String> names) {
        this.argNames = List.copyOf(names);
        return this;
    }

    /** The arguments' names given with {@link #argNames(List)}, or empty. */
    public List<String> argNames() {
        return argNames;
    }

    /** The largest message the coordinator accepts from a worker. */
    public PoolOptions maxMessageBytes(int bytes) {
        this.maxMessageBytes = bytes;
        return this;
    }

    public int workers() {
        return workers;
    }

    /** The task: a built-in name or a class name. */
    public String task() {
        return task;
    }

    /** The task's properties, in the order given. */
    public Map<String, String> properties() {
        return java.util.Collections.unmodifiableMap(properties);
    }

    public DType dtype() {
        return dtype;
    }

    /** Each output's dtype, in order. */
    public List<DType> dtypes() {
        return outputTypes != null ? outputTypes : java.util.Collections.nCopies(outputs, dtype);
    }

    /**
     * Why a pool started with these options can't run the jobs of {@code next} ({@link Pool#retask}):
     * the first setting of the pool itself that differs (its workers, their JVMs, how they connect,
     * how the pool treats them), or null when only the job's own settings differ (the task, its jars,
     * properties, outputs and dtypes, the arguments' names).
     */
    public String poolDifference(PoolOptions next) {
        record Setting(String name, Object mine, Object theirs) {
        }
        for (Setting s : List.of(
                new Setting("workers", workers, next.workers),
                new Setting("worker JVM flags", workerJvmFlags, next.workerJvmFlags),
                new Setting("class data sharing", classDataSharing, next.classDataSharing),
                new Setting("listen address", listenHost + ":" + listenPort, next.listenHost + ":" + next.listenPort),
                new Setting("advertised host", String.valueOf(advertisedHost), String.valueOf(next.advertisedHost)),
                new Setting("token", String.valueOf(token), String.valueOf(next.token)),
                new Setting("TLS", tlsCertificate + " " + tlsKey, next.tlsCertificate + " " + next.tlsKey),
                new Setting("max attempts", maxAttempts, next.maxAttempts),
                new Setting("chunk size", chunkSize, next.chunkSize),
                new Setting("max tasks per worker", maxTasksPerWorker, next.maxTasksPerWorker),
                new Setting("task timeout", taskTimeout, next.taskTimeout),
                new Setting("heartbeat timeout", silenceLimit, next.silenceLimit),
                new Setting("max message bytes", maxMessageBytes, next.maxMessageBytes))) {
            if (!s.mine().equals(s.theirs())) {
                return s.name() + " " + (s.name().equals("token") ? "differs" : s.theirs() + " instead of the pool's " + s.mine());
            }
        }
        return null;
    }
}
