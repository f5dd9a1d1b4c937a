package io.jvmpool.cli;

import io.jvmpool.job.ErrorLog;
import io.jvmpool.job.JobListener;
import io.jvmpool.job.JobResult;
import io.jvmpool.pool.Pool;
import io.jvmpool.pool.PoolSnapshot;
import io.jvmpool.pool.WorkerView;
import io.jvmpool.progress.ProgressReporter;
import io.jvmpool.progress.Terminal;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the command line shows of a job: the paths of written files on stdout, notes and the live
 * view (unless quiet) on stderr, and the summary at the end.
 */
final class ConsoleListener implements JobListener {
    private final PrintStream stdout;
    private final PrintStream stderr;
    private final boolean quiet;
    private final int localWorkers;
    /** The live view while it runs: lines for stdout go above it. */
    private volatile ProgressReporter progress;

    ConsoleListener(PrintStream stdout, PrintStream stderr, boolean quiet, int localWorkers) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.quiet = quiet;
        this.localWorkers = localWorkers;
    }

    @Override
    public void notice(String message) {
        stderr.println("jvmpool: " + message);
    }

    @Override
    public void started(Pool pool) {
        if (quiet) {
            return;
        }
        stderr.printf("jvmpool: %s dial %s; watch from another terminal with: java -jar jvmpool.jar status%n",
                localWorkers == 0 ? "waiting for workers to" : localWorkers + " workers", pool.address());
        progress = new ProgressReporter(stderr, Terminal.stderrIsTty(), pool::snapshot, 5);
    }

    /** Every few seconds while workers are awaited: a line, unless the live view on a terminal shows it in place. */
    @Override
    public void waitingForWorkers(int ready, int wanted, String address) {
        ProgressReporter p = progress;
        if (p == null || !p.onTerminal()) {
            stderr.printf("jvmpool: waiting for workers: %d of %d ready (dial %s)%n", ready, wanted, address);
        }
    }

    /** The paths of written files, on stdout: above the live view while it runs, so that both stay readable. */
    @Override
    public void batchWritten(int batch, List<Path> files) {
        List<String> lines = files.stream().map(Path::toString).toList();
        synchronized (stdout) {
            ProgressReporter p = progress;
            if (p != null) {
                p.printAbove(stdout, lines);
            } else {
                lines.forEach(stdout::println);
                stdout.flush();
            }
        }
    }

    @Override
    public void ended() {
        ProgressReporter p = progress;
        progress = null;
        if (p != null) {
            p.close();
        }
    }

    /** Ctrl-C or SIGTERM: the live view ends showing the true final counts, then one message. */
    @Override
    public void interrupted(int written, int batches, Path out) {
        ended();
        stderr.printf("jvmpool: interrupted: %d of %d batches written to %s; run the same command with --resume to compute the rest%n",
                written, batches, out);
        stderr.flush();
    }

    /** The job failed: why, and what is on disk. */
    void failed(String message, int written, int batches, Path out) {
        stderr.println("jvmpool: job failed: " + message);
        stderr.printf("jvmpool: %d of %d batches were written to %s before it failed; fix the cause and run the same "
                + "command with --resume to compute the rest%n", written, batches, out);
    }

    /** One line of totals, then (unless quiet) a line per worker. */
    void summarize(JobResult done) {
        PoolSnapshot end = done.pool();
        double wall = done.wallSeconds();
        Long launched = Long.getLong(io.jvmpool.pool.Timeline.LAUNCHED_AT);
        double userWall = launched == null ? wall : (System.currentTimeMillis() - launched) / 1000.0; // what the user waited
        long remote = end.workers().stream().filter(w -> !w.local()).count();
        int workers = end.workers().size();
        stderr.printf(Locale.ROOT, "jvmpool: %d tasks in %d batches done in %.2f s (%.1f tasks/s) on %d worker%s%s%s; files in %s%n",
                done.tasksComputed(), done.batches(), userWall, done.tasksComputed() / userWall, workers, workers == 1 ? "" : "s",
                remote > 0 ? ", " + remote + " remote" : "",
                end.tasksFailed() > 0 ? ", " + end.tasksFailed() + " failed (see " + ErrorLog.FILE_NAME + ")" : "", done.out());
        if (quiet) {
            return;
        }
        for (WorkerView w : end.workers()) {
            stderr.printf(Locale.ROOT, "  w%-3d pid %-8d %6d tasks %8.1f s CPU  busy %3.0f%%%s%n", w.index(), w.pid(), w.tasksDone(),
                    w.cpuSeconds(), wall > 0 ? 100 * w.busySeconds() / wall : 0,
                    (w.restarts() > 0 ? "  " + w.restarts() + " restarts" : "") + (w.recycled() > 0 ? "  " + w.recycled() + " recycled" : ""));
        }
        stderr.printf(Locale.ROOT, "  CPU efficiency %.0f%% (worker CPU / (wall x workers)); report in %s%n",
                100 * end.cpuEfficiency(wall), done.report());
    }
}
