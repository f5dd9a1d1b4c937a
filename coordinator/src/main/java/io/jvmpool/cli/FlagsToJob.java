package io.jvmpool.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.jvmpool.args.ArgTable;
import io.jvmpool.args.ArgsFile;
import io.jvmpool.args.Literals;
import io.jvmpool.job.JobChecks;
import io.jvmpool.job.JobOutputs;
import io.jvmpool.job.JobSpec;
import io.jvmpool.job.OptionNames;
import io.jvmpool.job.TokenRule;
import io.jvmpool.output.BatchPlan;
import io.jvmpool.rows.DType;
import io.jvmpool.pool.PoolOptions;
import io.jvmpool.shared.Checksums;
import io.jvmpool.shared.Token;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the parsed flags into a job for the job library, checking each as it goes: every mistake
 * is reported as one line that names the flag, before any worker starts or any file is touched.
 */
final class FlagsToJob {
    /** How the job library's messages name its options here: as flags. */
    private static final OptionNames FLAG_NAMES = new OptionNames("--resume", "--overwrite", "--out");
    /** A worker JVM starts with a 24m heap (-Xms24m) and needs some room above it. */
    private static final long MIN_WORKER_HEAP = 32L << 20;
    private static final Pattern PROPERTY_KEY = Pattern.compile("[A-Za-z0-9_.-]+");

    private final Main cli;
    /** A token generated for this run (printed for the user), or null. */
    private String generatedToken;

    FlagsToJob(Main cli) {
        this.cli = cli;
    }

    JobSpec build() throws UsageException {
        DType type;
        try {
            type = DType.parse(cli.dtype);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        List<Path> jars = cli.taskJars.stream().map(cli::local).toList();
        for (int i = 0; i < jars.size(); i++) {
            if (!Files.isRegularFile(jars.get(i)) || !Files.isReadable(jars.get(i))) {
                throw new UsageException("task jar " + cli.taskJars.get(i) + " is missing or unreadable");
            }
        }
        JobOutputs outputs;
        String task;
        try {
            task = JobChecks.resolveTask(cli.task, jars);
            outputs = JobOutputs.resolve(cli.outputs, type, JobChecks.declaredOutputs(task, jars), task, "--outputs");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int workerCount = cli.workers == null ? Runtime.getRuntime().availableProcessors() : cli.workers;
        if (workerCount < 0) {
            throw new UsageException("--workers must be 0 or more, got " + workerCount);
        }
        ArgTable table;
        BatchPlan plan;
        if (cli.argsFile != null) {
            ArgTable rows;
            try {
                rows = ArgsFile.read(cli.local(cli.argsFile));
            } catch (ArgsFile.BadArgsFileException e) {
                throw new UsageException("--args-file " + e.getMessage());
            }
            table = rows;
            plan = planForRows(rows.rows());
        } else {
            int b = positive("--batches", cli.batches == null ? 2 : cli.batches);
            int s = positive("--batch-size", cli.batchSize == null ? 10 : cli.batchSize);
            plan = BatchPlan.of(b, s);
            try {
                table = ArgTable.constant(parseArgs().stream().map(Literals.Literal::value).toList(), plan.tasks());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--args: " + e.getMessage().replace("task 0: ", ""));
            }
        }
        try {
            JobChecks.limits(plan, outputs.dtypes(), outputs.names(), "--batch-size", "--outputs");
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        checkProperties();
        positive("--max-attempts", cli.maxAttempts);
        if (cli.maxTasksPerWorker < 0) {
            throw new UsageException("--max-tasks-per-worker must be 0 (never) or more, got " + cli.maxTasksPerWorker);
        }
        if (cli.chunkSize < 0) {
            throw new UsageException("--chunksize must be 0 (auto) or more, got " + cli.chunkSize);
        }
        if (cli.resume && cli.overwrite) {
            throw new UsageException("--resume and --overwrite contradict each other: give one");
        }
        if (cli.taskTimeout != null && (cli.taskTimeout.isNegative() || cli.taskTimeout.isZero())) {
            throw new UsageException("--task-timeout must be positive");
        }
        if (cli.heartbeatTimeout.toMillis() < 200) {
            throw new UsageException("--heartbeat-timeout must be at least 200ms");
        }
        HostPort address = HostPort.parse("--listen", cli.listen);
        if (cli.minWorkers < 0) {
            throw new UsageException("--min-workers must be 0 or more, got " + cli.minWorkers);
        }
        String secret = secret(address);
        if ((cli.tlsCert == null) != (cli.tlsKey == null)) {
            throw new UsageException("--tls-cert and --tls-key go together: give both");
        }
        for (Path f : new Path[] {cli.tlsCert, cli.tlsKey}) {
            if (f != null && !Files.isReadable(cli.local(f))) {
                throw new UsageException("can't read " + f);
            }
        }
        PoolOptions options = new PoolOptions()
                .task(task).taskJars(jars).properties(cli.properties)
                .dtype(type).outputTypes(outputs.dtypes()).workers(workerCount)
                .maxAttempts(cli.maxAttempts)
                .maxTasksPerWorker(cli.maxTasksPerWorker)
                .taskTimeout(cli.taskTimeout == null ? Duration.ZERO : cli.taskTimeout)
                .silenceLimit(cli.heartbeatTimeout)
                .listen(address.host(), address.port())
                .advertise(advertisedHost())
                .token(secret)
                .tls(cli.local(cli.tlsCert), cli.local(cli.tlsKey))
                .workerJvmFlags(workerJvmFlags())
                .classDataSharing(cli.cds)
                .chunkSize(cli.chunkSize)
                .argNames(table.names());
        JsonObject description = describe(task, type, outputs, plan, table);
        checkWritable(cli.local(cli.out)); // last: every check before it can still refuse the job
        return new JobSpec(options, table, plan, outputs.names(), type, cli.local(cli.out), description,
                report(description, plan, workerCount), cli.onError == Main.OnError.SKIP, cli.resume, cli.overwrite, cli.minWorkers,
                generatedToken, cli.local(cli.addressFile), FLAG_NAMES);
    }

    /** The job as run.json records it: what identifies it, where its arguments came from, and the flags. */
    private JsonObject report(JsonObject description, BatchPlan plan, int workerCount) {
        JsonObject job = description.deepCopy();
        job.addProperty("args_source", cli.argsFile != null ? "--args-file " + cli.argsFile : "--args " + cli.args);
        job.addProperty("batches", plan.batches());
        JsonObject flags = new JsonObject();
        flags.addProperty("workers", workerCount);
        flags.addProperty("on_error", cli.onError.name().toLowerCase(java.util.Locale.ROOT));
        flags.addProperty("max_attempts", cli.maxAttempts);
        flags.addProperty("max_tasks_per_worker", cli.maxTasksPerWorker);
        flags.addProperty("task_timeout", cli.taskTimeout == null ? null : cli.taskTimeout.toString());
        flags.addProperty("heartbeat_timeout", cli.heartbeatTimeout.toString());
        flags.addProperty("listen", cli.listen);
        if (cli.advertise != null) {
            flags.addProperty("advertise", cli.advertise);
        }
        flags.addProperty("resume", cli.resume);
        flags.addProperty("overwrite", cli.overwrite);
        flags.addProperty("out", cli.out.toString());
        job.add("flags", flags);
        return job;
    }

    /**
     * The token workers must present: given, read from a file, or generated when the coordinator
     * listens beyond loopback, where a token is required.
     */
    /** --advertise, a bare host: workers add the port the coordinator listens on. */
    private String advertisedHost() throws UsageException {
        if (cli.advertise == null) {
            return null;
        }
        String host = cli.advertise.strip();
        if (host.isEmpty() || host.contains(":") && !host.startsWith("[") || host.contains("/") || host.contains(" ")) {
            throw new UsageException("--advertise '" + cli.advertise + "' is not a host name or address (the port is --listen's; "
                    + "e.g. --advertise node7.cluster)");
        }
        return host;
    }

    private String secret(HostPort address) throws UsageException {
        String given;
        try {
            given = Token.read(cli.token(), cli.local(cli.tokenFile));
        } catch (IOException e) {
            throw new UsageException("--token-file: " + e.getMessage());
        }
        try {
            String t = TokenRule.tokenFor(address.host(), given);
            generatedToken = given == null ? t : null;
            return t;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The default worker flags, the heap, then the user's own (a later flag wins). */
    private List<String> workerJvmFlags() throws UsageException {
        if (!cli.workerHeap.matches("\\d{1,9}[kKmMgG]?")) {
            throw new UsageException("--worker-heap '" + cli.workerHeap + "' is not a size (e.g. 256m, 2g)");
        }
        long bytes = Long.parseLong(cli.workerHeap.replaceAll("[^0-9]", ""))
                * switch (Character.toLowerCase(cli.workerHeap.charAt(cli.workerHeap.length() - 1))) {
                    case 'k' -> 1L << 10;
                    case 'm' -> 1L << 20;
                    case 'g' -> 1L << 30;
                    default -> 1L;
                };
        if (bytes < MIN_WORKER_HEAP) {
            throw new UsageException("--worker-heap " + cli.workerHeap + " is too small for a worker JVM: give at least 32m");
        }
        List<String> flags = new ArrayList<>(PoolOptions.DEFAULT_WORKER_JVM_FLAGS);
        flags.add("-Xmx" + cli.workerHeap);
        flags.addAll(cli.workerJvmArgs);
        return flags;
    }

    /** What makes two runs the same job, for --resume: the task, its code, its arguments, the batches and the outputs. */
    private JsonObject describe(String task, DType type, JobOutputs outputs, BatchPlan plan, ArgTable table) throws UsageException {
        JsonObject job = new JsonObject();
        job.addProperty("task", task);
        JsonArray jars = new JsonArray();
        for (Path jar : cli.taskJars) {
            jars.add(sha256(cli.local(jar)));
        }
        job.add("task_jars_sha256", jars);
        if (cli.argsFile != null) {
            job.addProperty("args_file_sha256", table.sha256()); // the file's bytes, hashed as the file was checked
        } else {
            JsonArray values = new JsonArray();
            parseArgs().forEach(v -> values.add(v.source()));
            job.add("args", values);
        }
        job.addProperty("tasks", plan.tasks());
        job.addProperty("batch_size", plan.batchSize());
        JsonArray names = new JsonArray();
        outputs.names().forEach(names::add);
        job.add("outputs", names);
        job.addProperty("dtype", type.numpyName());
        if (!outputs.allOf(type)) { // only then: a job of one dtype is described as before, and resumes as before
            JsonArray dtypes = new JsonArray();
            outputs.dtypes().forEach(t -> dtypes.add(t.numpyName()));
            job.add("output_dtypes", dtypes);
        }
        JsonObject props = new JsonObject();
        new java.util.TreeMap<>(cli.properties).forEach(props::addProperty);
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
        if (cli.batchSize != null) {
            int s = positive("--batch-size", cli.batchSize);
            BatchPlan plan = new BatchPlan(rows, s);
            if (cli.batches != null && positive("--batches", cli.batches) != plan.batches()) {
                throw new UsageException("--args-file has " + rows + " rows: " + plan.batches() + " batches of " + s
                        + ", not --batches " + cli.batches + "; give only one of --batches and --batch-size");
            }
            return plan;
        }
        if (cli.batches != null) {
            int b = positive("--batches", cli.batches);
            if (b > rows) {
                throw new UsageException("--batches " + b + " is more than the " + rows + " rows of --args-file");
            }
            return new BatchPlan(rows, (int) ((rows + b - 1) / b));
        }
        return new BatchPlan(rows, 10);
    }

    /** --args: values separated by commas as Python writes literals: numbers as {@link Numbers} reads them, text in quotes. */
    private List<Literals.Literal> parseArgs() throws UsageException {
        try {
            return Literals.parse(cli.args);
        } catch (NumberFormatException e) {
            throw new UsageException("--args " + e.getMessage() + "; give values separated by commas, e.g. 1,2,3,4 or 1,'resnet'");
        } catch (IllegalArgumentException e) {
            throw new UsageException("--args: " + e.getMessage());
        }
    }

    /** -P keys name something: letters, digits, _ . - only; values are handed to the task as they are. */
    private void checkProperties() throws UsageException {
        for (String key : cli.properties.keySet()) {
            if (!PROPERTY_KEY.matcher(key).matches()) {
                throw new UsageException("-P '" + key + "=" + cli.properties.get(key) + "': a property needs a name of letters, digits, "
                        + "_ . - before the '=', e.g. -P loop=1000000");
            }
        }
    }

    private static int positive(String flag, int value) throws UsageException {
        if (value <= 0) {
            throw new UsageException(flag + " must be a positive number, got " + value);
        }
        return value;
    }

    /**
     * The output folder, or the folder it would be made in, must be a folder we can write to. Nothing
     * is created here: the job makes the folder when it starts.
     */
    private static void checkWritable(Path folder) throws UsageException {
        Path existing = folder.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new UsageException("can't create the output folder " + folder + ": " + existing + " is not a folder");
        }
        if (!Files.isWritable(existing)) {
            throw new UsageException(existing.equals(folder.toAbsolutePath().normalize()) ? "can't write to the output folder " + folder
                    : "can't create the output folder " + folder + ": " + existing + " is not writable");
        }
    }
}
