package io.jvmpool.cli;

import io.jvmpool.job.JobRunner;
import io.jvmpool.job.PoolSource;
import io.jvmpool.pool.Pool;
import io.jvmpool.pool.PoolOptions;
import io.jvmpool.pool.Timeline;
import io.jvmpool.progress.Terminal;
import io.jvmpool.shared.LogTimes;
import io.jvmpool.shared.NettyEvents;
import io.jvmpool.shared.ProcessName;
import io.jvmpool.shared.ProcessUsage;
import io.jvmpool.shared.Tty;
import io.jvmpool.warm.WarmClient;
import io.jvmpool.warm.WarmRequest;
import io.jvmpool.warm.WarmServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * A warm pool: a coordinator JVM started by a client with {@code --keep-warm}, in a session of its
 * own, that runs its user's jobs one after another on one pool of workers. Each job is the command
 * line's own, run as {@link Main} runs it, with the client's folder, environment and terminal; the
 * pool is started by the first job and set up anew for each later one ({@link Pool#retask}). A job
 * whose pool settings differ is declined (the client runs it without the pool).
 */
public final class WarmDaemon implements WarmServer.Host {
    private final Path jar;
    private volatile Duration keepWarm;
    private final Kept pools = new Kept();
    /** The job built to decide whether it fits, run next. */
    private Main.Prepared prepared;
    private volatile JobRunner running;

    private WarmDaemon(Path jar, Duration keepWarm) {
        this.jar = jar;
        this.keepWarm = keepWarm;
    }

    public static void main(String[] argv) throws IOException {
        ProcessName.set("jvmpool-coord");
        NettyEvents.offUnlessAsked();
        LogTimes.timeOfDay();
        java.util.logging.LogManager.getLogManager().reset();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        for (String signal : new String[] {"INT", "HUP"}) { // the terminal it came from is not its own
            sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> { });
        }
        String key = System.getProperty(WarmClient.KEY_PROPERTY);
        Duration keep = Duration.ofMillis(Long.getLong(WarmClient.KEEP_WARM_PROPERTY, 600_000));
        Path jar = Path.of(System.getProperty("java.class.path")).toRealPath();
        WarmDaemon daemon = new WarmDaemon(jar, keep);
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "jvmpool-warm-stop"));
        Path socket = WarmServer.socketFor(key, ProcessHandle.current().pid());
        WarmServer.serve(socket, jar, daemon);
    }

    @Override
    public String decline(WarmRequest request) {
        prepared = Main.prepare(request.argv(), Path.of(request.cwd()), request.env());
        Main main = prepared.main();
        if (main == null || prepared.job() == null) {
            return null; // a wrong command line: it says so when it runs, as it would anywhere
        }
        if (main.tlsCert != null) {
            return "a job that serves TLS runs on a pool of its own";
        }
        if (!isLoopback(main.listen)) {
            return "a --listen beyond loopback (" + main.listen + ") runs on a pool of its own";
        }
        Pool kept = pools.pool;
        return kept == null ? null : kept.poolDifference(prepared.job().pool());
    }

    @Override
    public int run(WarmRequest request, PrintStream out, PrintStream err) {
        Main.Prepared job = prepared;
        prepared = null;
        Duration asked = job.main() == null ? null : job.main().keepWarm;
        String env = request.env().get("JVMPOOL_KEEP_WARM");
        if (asked == null && env != null && !env.isBlank()) {
            try {
                asked = io.jvmpool.shared.Durations.parse(env);
            } catch (IllegalArgumentException e) {
                // the pool's time stays as it was
            }
        }
        if (asked != null && asked.toMillis() > 0) {
            keepWarm = asked; // the latest job's wish
        }
        PrintStream ownOut = System.out;
        PrintStream ownErr = System.err;
        PrintStream jobOut = GivenPaths.of(job.main(), out);
        PrintStream jobErr = GivenPaths.of(job.main(), err);
        System.setProperty(Timeline.LAUNCHED_AT, Long.toString(request.launchedAt()));
        Tty.client(request.stdoutTty(), request.stderrTty());
        Terminal.client(request.rows() > 0 ? new Terminal.Size(request.rows(), request.columns()) : new Terminal.Size(24, 80));
        System.setOut(jobOut);
        System.setErr(jobErr);
        try {
            return Main.runPrepared(job, jobOut, jobErr, pools, r -> running = r);
        } finally {
            running = null;
            jobOut.flush();
            jobErr.flush();
            System.setOut(ownOut);
            System.setErr(ownErr);
            Tty.own();
            Terminal.client(null);
        }
    }

    @Override
    public void interrupt(int exitCode) {
        JobRunner r = running;
        if (r != null) {
            r.interrupt(exitCode);
        }
    }

    @Override
    public void resized(int rows, int columns) {
        if (rows > 0 && columns > 0) {
            Terminal.clientResized(new Terminal.Size(rows, columns));
        }
    }

    @Override
    public Duration keepWarm() {
        return keepWarm;
    }

    @Override
    public String describe(boolean busy, long idleSinceMillis) {
        Pool pool = pools.pool;
        StringBuilder line = new StringBuilder("warm pool pid " + ProcessHandle.current().pid() + " (" + jar.getFileName() + "): ");
        line.append(pool == null ? "no workers yet" : pool.localWorkerPids().size() + " workers");
        line.append(", memory ").append(rssMegabytes(ProcessHandle.current().pid())).append(" MB");
        if (pool != null && !pool.localWorkerPids().isEmpty()) {
            line.append(" (workers ").append(String.join(" + ", pool.localWorkerPids().stream()
                    .map(pid -> Long.toString(rssMegabytes(pid))).toList())).append(" MB)");
        }
        if (busy) {
            line.append(", running a job");
        } else {
            long idle = System.currentTimeMillis() - idleSinceMillis;
            line.append(", idle since ").append(LocalTime.ofInstant(Instant.ofEpochMilli(idleSinceMillis), ZoneId.systemDefault())
                    .truncatedTo(ChronoUnit.SECONDS)).append(" (").append(idle / 1000).append(" s; ends after ")
                    .append(keepWarm.toSeconds()).append(" s idle)");
        }
        return line.toString();
    }

    @Override
    public void close() {
        Pool pool = pools.pool;
        pools.pool = null;
        if (pool != null) {
            pool.close();
        }
    }

    private static long rssMegabytes(long pid) {
        return ProcessUsage.read(pid).map(r -> r.rssBytes() >> 20).orElse(0L);
    }

    private static boolean isLoopback(String listen) {
        try {
            return HostPort.parse("--listen", listen).resolvesToLoopback();
        } catch (IOException | UsageException e) {
            return false;
        }
    }

    /** The one pool kept across jobs: started by the first, set up for each later one, its workers replaced after a job that failed. */
    private static final class Kept implements PoolSource {
        private volatile Pool pool;
        private volatile boolean reused;

        @Override
        public Pool take(PoolOptions options) throws IOException {
            reused = pool != null;
            if (pool == null) {
                pool = Pool.start(options);
            } else {
                pool.retask(options);
            }
            return pool;
        }

        @Override
        public boolean reused() {
            return reused;
        }

        @Override
        public void done(Pool used, boolean clean) {
            if (!clean) {
                used.replaceWorkers();
            }
            used.idle();
        }

        @Override
        public void stopNow(Pool used) {
            used.cancelJob("interrupted");
        }

        @Override
        public boolean ownsJvm() {
            return false;
        }
    }
}
