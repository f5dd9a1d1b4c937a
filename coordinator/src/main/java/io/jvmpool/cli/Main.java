package io.jvmpool.cli;

import io.jvmpool.args.ArgTable;
import io.jvmpool.args.ArgsFile;
import io.jvmpool.args.Numbers;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.jvmpool.output.AtomicFile;
import io.jvmpool.output.BatchAssembler;
import io.jvmpool.output.BatchPlan;
import io.jvmpool.shared.Checksums;
import io.jvmpool.output.DType;
import io.jvmpool.pool.PoolOptions;
import io.jvmpool.shared.ProcessName;
import io.jvmpool.worker.TaskLoader;
import io.jvmpool.shared.Token;
import io.jvmpool.shared.Version;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar jvmpool.jar}: runs a job on a pool of worker JVMs and writes its batches as .npy files. */
@Command(name = "jvmpool", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        sortOptions = false, separator = " ", usageHelpWidth = Main.HELP_WIDTH, subcommands = StatusCommand.class,
        customSynopsis = "java -jar jvmpool.jar [OPTIONS]",
        description = {
            "Runs a task many times, each in one of several worker JVMs (one per core by default), and writes the "
                + "results of each batch of tasks as NumPy .npy files, <output>_para_<batch>.npy, in --out. With no "
                + "options it runs the seed job: 2 batches of 10 tasks of the seed function on (1,2,3,4).", ""},
        footer = {"", "java -jar jvmpool.jar status [OPTIONS] shows the live table of a job running in another terminal "
                + "(see status --help).", "", "Exit codes: 0 done, 1 the job failed, 2 bad usage (nothing written), 130 interrupted (Ctrl-C), "
                + "143 terminated (SIGTERM)."})
public final class Main implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    /** A worker JVM starts with a 24m heap (-Xms24m) and needs some room above it. */
    private static final long MIN_WORKER_HEAP = 32L << 20;
    /** Help text is wrapped at this width, the same on every terminal, so that the README can show it as it is. */
    static final int HELP_WIDTH = 100;
    private static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern PROPERTY_KEY = Pattern.compile("[A-Za-z0-9_.-]+");

    @Option(names = "--task", paramLabel = "NAME|CLASS", defaultValue = "seed",
            description = "A built-in task (seed, burn, trivial, array) or a class implementing io.jvmpool.api.Task (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--task-jar", paramLabel = "PATH", description = "A jar holding your task classes; repeat for several.")
    List<Path> taskJars = new ArrayList<>();

    @Option(names = "--args", paramLabel = "V1,V2,...", defaultValue = "1,2,3,4",
            description = "The arguments of every task, numbers separated by commas (default: ${DEFAULT-VALUE}, as in the seed).")
    String args;

    @Option(names = "--args-file", paramLabel = "PATH",
            description = "CSV with one task per row after a header row that names the columns; overrides --args. "
                    + "The rows are split into batches of --batch-size, or into --batches equal batches.")
    Path argsFile;

    @Option(names = "--batches", paramLabel = "B",
            description = "Number of batches (default 2).")
    Integer batches;

    @Option(names = "--batch-size", paramLabel = "S", description = "Tasks per batch (default 10).")
    Integer batchSize;

    @Option(names = "--outputs", paramLabel = "a,b,c", split = ",", hideParamSyntax = true, defaultValue = "label,feature,maybeother",
            description = "Names of the task's outputs, one file each per batch (default: ${DEFAULT-VALUE}).")
    List<String> outputs;

    @Option(names = "--dtype", paramLabel = "T", defaultValue = "float32",
            description = "Element type of the arrays: float32, float64, int32 or int64 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "trainset",
            description = "Output folder (default: ./${DEFAULT-VALUE}); files are <output>_para_<batch>.npy.")
    Path out;

    @Option(names = "-P", paramLabel = "key=value", hideParamSyntax = true,
            description = "A task property handed to the task's setup, e.g. -P loop=1000000; repeatable.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--workers", paramLabel = "N", description = "Local worker JVMs (default: the number of cores; 0: only workers that dial in).")
    Integer workers;

    @Option(names = "--on-error", paramLabel = "fail|skip", defaultValue = "fail",
            description = "When a task throws: fail stops the job and writes no incomplete batch (default); skip logs it to "
                    + ErrorLog.FILE_NAME + " and leaves its row NaN (0 for integer dtypes).")
    OnError onError;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "3",
            description = "Times a task may take its worker down (crash, kill, timeout) before the job fails (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--task-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "A task running longer is abandoned: its worker is killed and replaced, and the task retried (e.g. 30s, 5m).")
    Duration taskTimeout;

    @Option(names = "--heartbeat-timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
            description = "A worker not heard from for this long is taken for dead and replaced (default: ${DEFAULT-VALUE}).")
    Duration heartbeatTimeout;

    @Option(names = "--resume", description = "Keep the batches already in --out whose files are complete and verified; compute only the rest.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace the results already in --out (without it, jvmpool refuses to overwrite them).")
    boolean overwrite;

    @Option(names = "--listen", paramLabel = "ADDR:PORT", defaultValue = "127.0.0.1:0",
            description = "Where workers dial in (default: ${DEFAULT-VALUE}, loopback and any free port).")
    String listen;

    @Option(names = "--worker-heap", paramLabel = "SIZE", defaultValue = "256m",
            description = "Largest heap of each worker JVM, as for -Xmx (default: ${DEFAULT-VALUE}).")
    String workerHeap;

    @Option(names = "--worker-jvm-arg", paramLabel = "ARG",
            description = "An extra flag for each worker JVM, e.g. --worker-jvm-arg=-XX:+UseParallelGC; repeatable.")
    List<String> workerJvmArgs = new ArrayList<>();

    @Option(names = "--chunksize", paramLabel = "N", defaultValue = "0",
            description = "Tasks per message to a worker, as Python's chunksize (default: auto, a few ms of work per message).")
    int chunkSize;

    @Option(names = "--cds", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Start workers with class data sharing: an AppCDS archive of the worker's classes, made by the first "
                    + "run and kept in ~/.cache/jvmpool (default: on; --no-cds to start without).")
    boolean cds;

    @Option(names = "--token", paramLabel = "T", defaultValue = "${env:JVMPOOL_TOKEN}",
            description = "A shared secret every worker must present (env JVMPOOL_TOKEN). Required, and generated if not given, "
                    + "when --listen is not a loopback address.")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from this file.")
    Path tokenFile;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve TLS with this certificate chain (with --tls-key); "
            + "workers then dial with --tls-ca.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The private key of --tls-cert (PKCS#8 PEM).")
    Path tlsKey;

    @Option(names = "--min-workers", paramLabel = "N", defaultValue = "0",
            description = "Wait until N workers (local or dialed in) are ready before handing out tasks (default: no wait).")
    int minWorkers;

    @Option(names = "--address-file", paramLabel = "FILE",
            description = "Once listening, write the --listen address with its port filled in (HOST:PORT) to this file, "
                    + "for scripts that start workers after a --listen with port 0.")
    Path addressFile;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar or live worker view; warnings and the final summary stay.")
    boolean quiet;

    /** What to do when a task throws. */
    enum OnError { FAIL, SKIP }

    public static void main(String[] argv) {
        ProcessName.set("jvmpool-coord");
        // gRPC logs through java.util.logging: send it to the same log as everything else.
        java.util.logging.LogManager.getLogManager().reset();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        System.exit(run(argv, System.out, System.err));
    }

    /** Runs the command line; returns the exit code. */
    static int run(String[] argv, PrintStream stdout, PrintStream stderr) {
        Main main = new Main();
        main.stdout = stdout;
        main.stderr = stderr;
        CommandLine cli = parser(main)
                .setOut(new java.io.PrintWriter(stdout, true))
                .setErr(new java.io.PrintWriter(stderr, true))
                .setParameterExceptionHandler((e, a) -> {
                    stderr.println("jvmpool: " + firstLine(e.getMessage()) + " (see --help)");
                    return EXIT_USAGE;
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    stderr.println("jvmpool: " + firstLine(e.getMessage() == null ? e.toString() : e.getMessage()));
                    return EXIT_FAILED;
                });
        HelpLayout.apply(cli, HELP_WIDTH);
        return cli.execute(argv);
    }

    /** The command line parser of {@code main}, as the CLI uses it (also to check other files' arguments). */
    static CommandLine parser(Main main) {
        return new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true);
    }

    private PrintStream stdout = System.out;
    private PrintStream stderr = System.err;

    PrintStream stdout() {
        return stdout;
    }

    PrintStream stderr() {
        return stderr;
    }

    @Override
    public Integer call() throws Exception {
        try {
            return new JobRunner(checkUsage(), stdout, stderr).run();
        } catch (UsageException e) {
            stderr.println("jvmpool: " + e.getMessage());
            return EXIT_USAGE;
        }
    }

    private JobSpec checkUsage() throws UsageException {
        DType type;
        try {
            type = DType.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        checkOutputs();
        for (Path jar : taskJars) {
            if (!Files.isRegularFile(jar) || !Files.isReadable(jar)) {
                throw new UsageException("task jar " + jar + " is missing or unreadable");
            }
        }
        try {
            TaskLoader.find(task, TaskLoader.classLoader(taskJars));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int workerCount = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        if (workerCount < 0) {
            throw new UsageException("--workers must be 0 or more, got " + workerCount);
        }
        ArgTable table;
        BatchPlan plan;
        if (argsFile != null) {
            ArgTable rows;
            try {
                rows = ArgsFile.read(argsFile);
            } catch (ArgsFile.BadArgsFileException e) {
                throw new UsageException("--args-file " + e.getMessage());
            }
            table = rows;
            plan = planForRows(rows.rows());
        } else {
            int b = positive("--batches", batches == null ? 2 : batches);
            int s = positive("--batch-size", batchSize == null ? 10 : batchSize);
            plan = BatchPlan.of(b, s);
            table = ArgTable.constant(parseArgs(), plan.tasks());
        }
        checkLimits(plan, type);
        checkProperties();
        positive("--max-attempts", maxAttempts);
        if (chunkSize < 0) {
            throw new UsageException("--chunksize must be 0 (auto) or more, got " + chunkSize);
        }
        if (resume && overwrite) {
            throw new UsageException("--resume and --overwrite contradict each other: give one");
        }
        if (taskTimeout != null && (taskTimeout.isNegative() || taskTimeout.isZero())) {
            throw new UsageException("--task-timeout must be positive");
        }
        if (heartbeatTimeout.toMillis() < 200) {
            throw new UsageException("--heartbeat-timeout must be at least 200ms");
        }
        HostPort address = HostPort.parse("--listen", listen);
        if (minWorkers < 0) {
            throw new UsageException("--min-workers must be 0 or more, got " + minWorkers);
        }
        String secret = secret(address);
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new UsageException("--tls-cert and --tls-key go together: give both");
        }
        for (Path f : new Path[] {tlsCert, tlsKey}) {
            if (f != null && !Files.isReadable(f)) {
                throw new UsageException("can't read " + f);
            }
        }
        checkWritable(out);
        PoolOptions options = new PoolOptions()
                .task(task).taskJars(taskJars).properties(properties)
                .dtype(type).outputs(outputs.size()).workers(workerCount)
                .maxAttempts(maxAttempts)
                .taskTimeout(taskTimeout == null ? Duration.ZERO : taskTimeout)
                .silenceLimit(heartbeatTimeout)
                .listen(address.host(), address.port())
                .token(secret)
                .tls(tlsCert, tlsKey)
                .workerJvmFlags(workerJvmFlags())
                .classDataSharing(cds)
                .chunkSize(chunkSize);
        JsonObject description = describe(type, plan);
        return new JobSpec(options, table, plan, List.copyOf(outputs), type, out, description, report(description, plan, workerCount),
                onError == OnError.SKIP, resume, overwrite, quiet, minWorkers, generatedToken, addressFile);
    }

    /** The job as run.json records it: what identifies it, where its arguments came from, and the flags. */
    private JsonObject report(JsonObject description, BatchPlan plan, int workerCount) {
        JsonObject job = description.deepCopy();
        job.addProperty("args_source", argsFile != null ? "--args-file " + argsFile : "--args " + args);
        job.addProperty("batches", plan.batches());
        JsonObject flags = new JsonObject();
        flags.addProperty("workers", workerCount);
        flags.addProperty("on_error", onError.name().toLowerCase(java.util.Locale.ROOT));
        flags.addProperty("max_attempts", maxAttempts);
        flags.addProperty("task_timeout", taskTimeout == null ? null : taskTimeout.toString());
        flags.addProperty("heartbeat_timeout", heartbeatTimeout.toString());
        flags.addProperty("listen", listen);
        flags.addProperty("resume", resume);
        flags.addProperty("overwrite", overwrite);
        flags.addProperty("out", out.toString());
        job.add("flags", flags);
        return job;
    }

    /** A token generated for this run (printed for the user), or null. */
    private String generatedToken;

    /**
     * The token workers must present: given, read from a file, or generated when the coordinator
     * listens beyond loopback, where a token is required.
     */
    private String secret(HostPort address) throws UsageException {
        String t;
        try {
            t = Token.read(token, tokenFile);
        } catch (IOException e) {
            throw new UsageException("--token-file: " + e.getMessage());
        }
        if (Token.EXAMPLE_PLACEHOLDER.equals(t)) {
            throw new UsageException("the token is the example's placeholder '" + t + "' (docker/k8s/examples/token-secret.yaml): "
                    + "make a secret of your own, e.g. head -c 24 /dev/urandom | base64");
        }
        if (t == null && !address.isLoopback()) {
            byte[] random = new byte[24];
            new java.security.SecureRandom().nextBytes(random);
            t = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            generatedToken = t;
        }
        return t;
    }

    /** The default worker flags, the heap, then the user's own (a later flag wins). */
    private List<String> workerJvmFlags() throws UsageException {
        if (!workerHeap.matches("\\d{1,9}[kKmMgG]?")) {
            throw new UsageException("--worker-heap '" + workerHeap + "' is not a size (e.g. 256m, 2g)");
        }
        long bytes = Long.parseLong(workerHeap.replaceAll("[^0-9]", ""))
                * switch (Character.toLowerCase(workerHeap.charAt(workerHeap.length() - 1))) {
                    case 'k' -> 1L << 10;
                    case 'm' -> 1L << 20;
                    case 'g' -> 1L << 30;
                    default -> 1L;
                };
        if (bytes < MIN_WORKER_HEAP) {
            throw new UsageException("--worker-heap " + workerHeap + " is too small for a worker JVM: give at least 32m");
        }
        List<String> flags = new ArrayList<>(PoolOptions.DEFAULT_WORKER_JVM_FLAGS);
        flags.add("-Xmx" + workerHeap);
        flags.addAll(workerJvmArgs);
        return flags;
    }

    /** What makes two runs the same job, for --resume: the task, its code, its arguments, the batches and the outputs. */
    private JsonObject describe(DType type, BatchPlan plan) throws UsageException {
        JsonObject job = new JsonObject();
        job.addProperty("task", task);
        JsonArray jars = new JsonArray();
        for (Path jar : taskJars) {
            jars.add(sha256(jar));
        }
        job.add("task_jars_sha256", jars);
        if (argsFile != null) {
            job.addProperty("args_file_sha256", sha256(argsFile));
        } else {
            JsonArray values = new JsonArray();
            for (String v : args.split(",", -1)) {
                values.add(v.strip());
            }
            job.add("args", values);
        }
        job.addProperty("tasks", plan.tasks());
        job.addProperty("batch_size", plan.batchSize());
        JsonArray names = new JsonArray();
        outputs.forEach(names::add);
        job.add("outputs", names);
        job.addProperty("dtype", type.numpyName());
        JsonObject props = new JsonObject();
        new java.util.TreeMap<>(properties).forEach(props::addProperty);
        job.add("properties", props);
        return job;
    }

    private static String sha256(Path file) throws UsageException {
        try {
            return Checksums.sha256(file);
        } catch (IOException e) {
            throw new UsageException("can't read " + file + ": " + e.getMessage());
        }
    }

    /** With --args-file the rows decide: batches of --batch-size rows, or --batches batches of equal size. */
    private BatchPlan planForRows(long rows) throws UsageException {
        if (batchSize != null) {
            int s = positive("--batch-size", batchSize);
            BatchPlan plan = new BatchPlan(rows, s);
            if (batches != null && positive("--batches", batches) != plan.batches()) {
                throw new UsageException("--args-file has " + rows + " rows: " + plan.batches() + " batches of " + s
                        + ", not --batches " + batches + "; give only one of --batches and --batch-size");
            }
            return plan;
        }
        if (batches != null) {
            int b = positive("--batches", batches);
            if (b > rows) {
                throw new UsageException("--batches " + b + " is more than the " + rows + " rows of --args-file");
            }
            return new BatchPlan(rows, (int) ((rows + b - 1) / b));
        }
        return new BatchPlan(rows, 10);
    }

    /** --args: numbers separated by commas, each as {@link Numbers} reads it; no empty value, none left out. */
    private List<Number> parseArgs() throws UsageException {
        List<Number> values = new ArrayList<>();
        if (args.isBlank()) {
            return values; // tasks without arguments
        }
        String[] parts = args.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            try {
                values.add(Numbers.parse(parts[i]));
            } catch (NumberFormatException e) {
                throw new UsageException("--args value " + (i + 1) + ": " + e.getMessage() + "; give numbers separated by commas, e.g. 1,2,3,4");
            }
        }
        return values;
    }

    /** -P keys name something: letters, digits, _ . - only; values are handed to the task as they are. */
    private void checkProperties() throws UsageException {
        for (String key : properties.keySet()) {
            if (!PROPERTY_KEY.matcher(key).matches()) {
                throw new UsageException("-P '" + key + "=" + properties.get(key) + "': a property needs a name of letters, digits, "
                        + "_ . - before the '=', e.g. -P loop=1000000");
            }
        }
    }

    private void checkOutputs() throws UsageException {
        if (outputs.isEmpty()) {
            throw new UsageException("--outputs needs at least one name");
        }
        for (String name : outputs) {
            if (!OUTPUT_NAME.matcher(name).matches()) {
                throw new UsageException("--outputs: '" + name + "' is not a usable file name (letters, digits, _ . - only)");
            }
        }
        if (new HashSet<>(outputs).size() != outputs.size()) {
            throw new UsageException("--outputs names must differ: " + String.join(",", outputs));
        }
    }

    /** What this machine and the file formats can hold, checked before any worker starts. */
    private void checkLimits(BatchPlan plan, DType type) throws UsageException {
        if (plan.tasks() > BatchPlan.MAX_TASKS) {
            throw new UsageException(String.format(java.util.Locale.ROOT, "the job has %,d tasks; a job can have at most %,d: "
                    + "split it into several jobs", plan.tasks(), BatchPlan.MAX_TASKS));
        }
        if ((long) plan.batchSize() * type.size() > BatchPlan.MAX_BATCH_BYTES) {
            throw new UsageException(String.format(java.util.Locale.ROOT, "--batch-size %,d: a batch of %s values needs %,d bytes "
                    + "per output; at most %,d rows of %s fit one batch", plan.batchSize(), type, (long) plan.batchSize() * type.size(),
                    BatchPlan.MAX_BATCH_BYTES / type.size(), type));
        }
        for (String name : outputs) {
            String longest = BatchAssembler.fileName(name, plan.batches() - 1);
            if (AtomicFile.tempNameLength(longest) > AtomicFile.MAX_NAME_BYTES) {
                throw new UsageException("--outputs: '" + shorten(name) + "' is too long for a file name ("
                        + longest.length() + " characters with _para_N.npy; at most "
                        + (AtomicFile.MAX_NAME_BYTES - AtomicFile.tempNameLength("")) + ")");
            }
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static int positive(String flag, int value) throws UsageException {
        if (value <= 0) {
            throw new UsageException(flag + " must be a positive number, got " + value);
        }
        return value;
    }

    private static void checkWritable(Path folder) throws UsageException {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UsageException("can't create the output folder " + folder + ": " + e.getMessage());
        }
        if (!Files.isWritable(folder)) {
            throw new UsageException("can't write to the output folder " + folder);
        }
    }

    /** The first line of a message: errors are reported in one line, details go below or to the log. */
    static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jvmpool " + Version.get()};
        }
    }
}
