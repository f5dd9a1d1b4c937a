package io.jvmpool.cli;

import io.jvmpool.job.ErrorLog;
import io.jvmpool.boot.Relaunch;
import io.jvmpool.job.JobFailure;
import io.jvmpool.job.JobResult;
import io.jvmpool.job.JobListener;
import io.jvmpool.job.JobRunner;
import io.jvmpool.job.JobSetupException;
import io.jvmpool.shared.LogTimes;
import io.jvmpool.shared.NettyEvents;
import io.jvmpool.shared.ProcessName;
import io.jvmpool.shared.Version;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar jvmpool.jar}: runs a job on a pool of worker JVMs and writes its batches as .npy files. */
@Command(name = "jvmpool", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        sortOptions = false, separator = " ", usageHelpWidth = Main.HELP_WIDTH, subcommands = {StatusCommand.class, StopCommand.class},
        customSynopsis = "java -jar jvmpool.jar [OPTIONS]",
        description = {
            "Runs a task many times, each in one of several worker JVMs (one per core by default), and writes the "
                + "results of each batch of tasks as NumPy .npy files, <output>_para_<batch>.npy, in --out. With no "
                + "options it runs the seed job: 2 batches of 10 tasks of the seed function on (1,2,3,4).", ""},
        footer = {"", "java -jar jvmpool.jar status [OPTIONS] shows the live table of a job running in another terminal "
                + "(see status --help); java -jar jvmpool.jar stop ends your warm pools.", "", "Exit codes: 0 done, 1 the job failed, 2 bad usage (nothing written), 130 interrupted (Ctrl-C), "
                + "143 terminated (SIGTERM), 129 hung up (SIGHUP: the terminal closed)."})
public final class Main implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;
    /** Help text is wrapped at this width, the same on every terminal, so that the README can show it as it is. */
    static final int HELP_WIDTH = 100;

    @Option(names = "--task", paramLabel = "NAME|CLASS", defaultValue = "seed",
            description = "A built-in task (seed, burn, trivial, array) or a class implementing io.jvmpool.api.Task (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--task-jar", paramLabel = "PATH", description = "A jar holding your task classes; repeat for several.")
    List<Path> taskJars = new ArrayList<>();

    @Option(names = "--args", paramLabel = "V1,V2,...", defaultValue = "1,2,3,4",
            description = "The arguments of every task, separated by commas: numbers, or text in quotes as Python writes it, "
                    + "e.g. 1,'resnet' (default: ${DEFAULT-VALUE}, as in the seed).")
    String args;

    @Option(names = "--args-file", paramLabel = "PATH",
            description = "CSV with one task per row after a header row that names the columns, each of numbers or text; "
                    + "overrides --args. The rows are split into batches of --batch-size, or into --batches equal batches.")
    Path argsFile;

    @Option(names = "--batches", paramLabel = "B",
            description = "Number of batches (default 2).")
    Integer batches;

    @Option(names = "--batch-size", paramLabel = "S", description = "Tasks per batch (default 10).")
    Integer batchSize;

    @Option(names = "--outputs", paramLabel = "a,b,c", split = ",", hideParamSyntax = true,
            description = "Names of the task's outputs, one file each per batch, each with its own dtype if it needs one: "
                    + "label:int64,image:uint8,score (default: the outputs the task declares, or label,feature,maybeother).")
    List<String> outputs;

    @Option(names = "--dtype", paramLabel = "T", defaultValue = "float32",
            description = "Element type of each output that names none, by numpy's name: bool, int8, uint8, int16, uint16, "
                    + "int32, uint32, int64, uint64, float16, float32 or float64 (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--max-tasks-per-worker", paramLabel = "N", defaultValue = "0",
            description = "Replace a worker JVM by a fresh one after it ran N tasks, for task code that leaks (Python's "
                    + "maxtasksperchild); the new one starts as the old one gets its last task (default: 0, never).")
    int maxTasksPerWorker;

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

    @Option(names = "--advertise", paramLabel = "HOST",
            description = "The name or address workers dial, when not the --listen address (e.g. with 0.0.0.0): "
                    + "said in the messages and written to --address-file.")
    String advertise;

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
                    + "run and kept in $XDG_CACHE_HOME/jvmpool, or ~/.cache/jvmpool (default: on; --no-cds to start without).")
    boolean cds;

    @Option(names = "--token", paramLabel = "T",
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
            description = "Once listening, write the address workers dial (--advertise or --listen, with its port filled in: "
                    + "HOST:PORT) to this file, "
                    + "for scripts that start workers after a --listen with port 0.")
    Path addressFile;

    @Option(names = "--http", paramLabel = "ADDR:PORT",
            description = "Serve the job to a browser and to Prometheus while it runs: a live page at /, its JSON at /api/job, "
                    + "Prometheus' metrics at /metrics (default: off; PORT alone is 127.0.0.1:PORT). Beyond loopback every "
                    + "request needs the job's token (--token).")
    String http;

    @Option(names = "--http-linger", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "0s",
            description = "With --http, keep serving the job's final state for DURATION after it ends, for the page and a "
                    + "last scrape (e.g. 30s; default: ${DEFAULT-VALUE}).")
    Duration httpLinger;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar or live worker view; warnings and the final summary stay.")
    boolean quiet;

    @Option(names = "--keep-warm", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Keep the coordinator and its workers up, idle, for DURATION after the job (e.g. 10m; env "
                    + "JVMPOOL_KEEP_WARM; default: off): your next java -jar jvmpool.jar on this machine with the same pool "
                    + "settings runs on them, without starting JVMs. java -jar jvmpool.jar stop ends them.")
    Duration keepWarm;

    @Option(names = {"-v", "--verbose"}, description = "Say why a warm pool was not used, and when one starts.")
    boolean verbose;

    /** The environment the job sees: this JVM's, or a warm pool's client's. */
    Map<String, String> env = System.getenv();
    /** The folder relative paths are relative to: null for this JVM's own, or a warm pool's client's. */
    Path cwd;
    /** Where the job's pool comes from: one started for it, or a warm pool's. */
    io.jvmpool.job.PoolSource pools = io.jvmpool.job.PoolSource.FRESH;
    /** Told of the job's runner as it starts (a warm pool passes its client's signals to it). */
    java.util.function.Consumer<JobRunner> onRunner = r -> { };
    /** The job, when a warm pool built it already to see whether it fits. */
    io.jvmpool.job.JobSpec prebuilt;

    /** {@code given} as this job sees it: relative to the client's folder on a warm pool. */
    Path local(Path given) {
        return cwd == null || given == null || given.isAbsolute() ? given : cwd.resolve(given);
    }

    /** --token, else JVMPOOL_TOKEN of the job's environment. */
    String token() {
        return token != null ? token : env.get("JVMPOOL_TOKEN");
    }

    /** What to do when a task throws. */
    enum OnError { FAIL, SKIP }

    public static void main(String[] argv) {
        Relaunch.watchLauncher();
        ProcessName.set("jvmpool-coord");
        NettyEvents.offUnlessAsked();
        LogTimes.timeOfDay();
        // gRPC logs through java.util.logging: send it to the same log as everything else.
        java.util.logging.LogManager.getLogManager().reset();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        int code = run(argv, System.out, System.err);
        Relaunch.exiting(code);
        System.exit(code);
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
                    stderr.println(usageError(e));
                    return EXIT_USAGE;
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    stderr.println("jvmpool: " + firstLine(e.getMessage() == null ? e.toString() : e.getMessage()));
                    return EXIT_FAILED;
                });
        HelpLayout.apply(cli, HELP_WIDTH);
        return cli.execute(splitEquals(cli, argv));
    }

    /**
     * {@code --flag=value} as well as {@code --flag value}: the help shows options with a space
     * (picocli's separator), and people write both. Only known long options are split, so a value
     * that holds '=' (-P key=value, --worker-jvm-arg -Dx=y) stays whole.
     */
    static String[] splitEquals(CommandLine cli, String[] argv) {
        List<String> out = new ArrayList<>();
        boolean options = true;
        CommandLine command = argv.length > 0 && argv[0].equals("status") ? cli.getSubcommands().get("status") : cli;
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (options && arg.startsWith("--") && eq > 2 && command.getCommandSpec().findOption(arg.substring(0, eq)) != null) {
                out.add(arg.substring(0, eq));
                out.add(arg.substring(eq + 1));
            } else {
                options &= !arg.equals("--");
                out.add(arg);
            }
        }
        return out.toArray(String[]::new);
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
        ConsoleListener console = new ConsoleListener(stdout, stderr, quiet, workers == null ? Runtime.getRuntime().availableProcessors() : workers);
        WebView web = null;
        try {
            io.jvmpool.job.JobSpec job = prebuilt != null ? prebuilt : new FlagsToJob(this).build();
            web = WebView.start(this, job, stderr);
            JobRunner runner = new JobRunner(job, web == null ? console : JobListener.both(console, web.watch()), pools);
            onRunner.accept(runner);
            JobResult done = runner.run();
            if (done.pool() != null) {
                console.summarize(done);
            }
            if (web != null) {
                web.ended("done", "done: " + done.tasksComputed() + " tasks in " + done.batches() + " batches in "
                        + String.format(java.util.Locale.ROOT, "%.2f s", done.wallSeconds()) + "; files in " + done.out());
            }
            return EXIT_OK;
        } catch (UsageException | JobSetupException e) {
            stderr.println("jvmpool: " + e.getMessage());
            return EXIT_USAGE;
        } catch (JobFailure e) {
            if (web != null) {
                web.ended(e.interruptedExit() != 0 ? "interrupted" : "failed", "job failed: " + e.getMessage());
            }
            if (e.interruptedExit() != 0) {
                return e.interruptedExit(); // said as it was interrupted
            }
            console.failed(e.getMessage(), e.batchesWritten(), e.batches(), e.out());
            return EXIT_FAILED;
        } finally {
            if (web != null) {
                web.close();
            }
        }
    }

    private static String usageError(CommandLine.ParameterException e) {
        return "jvmpool: " + firstLine(e.getMessage()) + suggestion(e) + " (see --help)";
    }

    /**
     * A command line as a warm pool takes it: parsed, and its job built, with the client's folder and
     * environment, before the pool says whether it runs it. Nothing is printed yet: a command line
     * that can't be parsed or built says why when it runs ({@link #runPrepared}), as it would anywhere.
     */
    record Prepared(Main main, String usageError) {
        /** The job, or null when the command line is wrong (its run says how). */
        io.jvmpool.job.JobSpec job() {
            return main == null ? null : main.prebuilt;
        }
    }

    static Prepared prepare(List<String> argv, Path cwd, Map<String, String> env) {
        Main main = new Main();
        main.cwd = cwd;
        main.env = env;
        CommandLine cli = parser(main);
        HelpLayout.apply(cli, HELP_WIDTH);
        try {
            cli.parseArgs(splitEquals(cli, argv.toArray(String[]::new)));
        } catch (CommandLine.ParameterException e) {
            return new Prepared(null, usageError(e));
        }
        try {
            main.prebuilt = new FlagsToJob(main).build();
        } catch (UsageException | RuntimeException e) {
            main.prebuilt = null; // built again as it runs, which says why
        }
        return new Prepared(main, null);
    }

    /** Runs a prepared command line on {@code pools}; returns its exit code. */
    static int runPrepared(Prepared p, PrintStream stdout, PrintStream stderr, io.jvmpool.job.PoolSource pools,
                           java.util.function.Consumer<JobRunner> onRunner) {
        if (p.main() == null) {
            stderr.println(p.usageError());
            return EXIT_USAGE;
        }
        Main main = p.main();
        main.stdout = stdout;
        main.stderr = stderr;
        main.pools = pools;
        main.onRunner = onRunner;
        try {
            return main.call();
        } catch (Exception e) {
            stderr.println("jvmpool: " + firstLine(e.getMessage() == null ? e.toString() : e.getMessage()));
            return EXIT_FAILED;
        }
    }

    /** For a mistyped option, the nearest known one: {@code ; did you mean --batches?} */
    private static String suggestion(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> near = unmatched.getSuggestions();
            if (!near.isEmpty()) {
                return "; did you mean " + String.join(" or ", near.subList(0, Math.min(2, near.size()))) + "?";
            }
        }
        return "";
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
