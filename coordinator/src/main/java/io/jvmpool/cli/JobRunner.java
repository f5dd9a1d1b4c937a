package io.jvmpool.cli;

import io.jvmpool.output.AtomicFile;
import io.jvmpool.output.BatchAssembler;
import io.jvmpool.output.OutputLock;
import io.jvmpool.output.Manifest;
import io.jvmpool.pool.JobFailedException;
import io.jvmpool.pool.Pool;
import io.jvmpool.pool.PoolSnapshot;
import io.jvmpool.pool.ResultSink;
import io.jvmpool.pool.TaskError;
import io.jvmpool.pool.TaskRows;
import io.jvmpool.progress.ProgressReporter;
import io.jvmpool.progress.Terminal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a checked job: prepares the output folder, starts the pool, feeds results into the batch
 * files and the manifest, shows progress, writes the run report, and on Ctrl-C or SIGTERM ends the
 * workers at once and leaves only whole batches behind.
 */
final class JobRunner {
    private final JobSpec job;
    private final PrintStream stdout;
    private final PrintStream stderr;
    /** The live view while it runs: lines for stdout go above it. */
    private volatile ProgressReporter progress;
    /** The output folder's lock, released at the end, also on Ctrl-C. */
    private OutputLock lock;

    JobRunner(JobSpec job, PrintStream stdout, PrintStream stderr) {
        this.job = job;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    int run() throws UsageException, IOException, InterruptedException {
        OutputLock lock;
        try {
            lock = OutputLock.acquire(job.out());
        } catch (OutputLock.HeldException e) {
            throw new UsageException(e.getMessage());
        }
        this.lock = lock;
        try (lock) {
            AtomicFile.removeLeftovers(job.out()).forEach(p -> stderr.println("jvmpool: removed " + p.getFileName()
                    + ", left by a run that did not finish"));
            return runLocked();
        }
    }

    private int runLocked() throws UsageException, IOException, InterruptedException {
        OutputFolder.Start start = OutputFolder.check(job.out(), job.description(), job.outputs(), job.resume(), job.overwrite());
        Manifest manifest = start.manifest();
        RunReport report = new RunReport(job.report());
        AtomicInteger written = new AtomicInteger(start.keptBatches().size());
        BatchAssembler assembler = new BatchAssembler(job.plan(), job.dtype(), job.outputs(), job.out(), manifest, batch -> {
            report.batchWritten(batch);
            written.incrementAndGet();
            printResults(batch.files().stream().map(f -> f.path().toString()).toList());
        });
        BitSet done = new BitSet();
        for (int b : start.keptBatches()) {
            assembler.skip(b);
            done.set((int) job.plan().firstTask(b), (int) (job.plan().firstTask(b) + job.plan().sizeOf(b)));
        }
        if (!start.keptBatches().isEmpty()) {
            stderr.printf("jvmpool: resuming: %d of %d batches are already in %s%n", start.keptBatches().size(),
                    job.plan().batches(), job.out());
        }
        if (written.get() == job.plan().batches()) {
            stderr.println("jvmpool: nothing to do: every batch is already written");
            return Main.EXIT_OK;
        }

        try (ErrorLog errors = new ErrorLog(job.out(), job.resume());
             Pool pool = Pool.start(job.pool())) {
            start.apply(); // only now that the pool runs: a job that can't start changes nothing on disk
            Path registration = CoordinatorRegistry.register(pool.address());
            if (job.addressFile() != null) {
                AtomicFile.write(job.addressFile(), (pool.address() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            if (!job.quiet()) {
                stderr.printf("jvmpool: %s dial %s; watch from another terminal with: java -jar jvmpool.jar status%n",
                        job.pool().workers() == 0 ? "waiting for workers to" : job.pool().workers() + " workers",
                        pool.address());
            }
            if (job.generatedToken() != null) {
                stderr.printf("jvmpool: workers must present this token (JVMPOOL_TOKEN=... or --token-file): %s%n", job.generatedToken());
            }
            Thread onSignal = new Thread(() -> interrupted(pool, assembler, errors, report, written, registration), "jvmpool-interrupt");
            Runtime.getRuntime().addShutdownHook(onSignal);
            try {
                awaitMinWorkers(pool);
                runWithProgress(pool, assembler, errors, done);
            } catch (JobFailedException | IOException e) {
                assembler.abandon();
                removeHook(onSignal);
                stderr.println("jvmpool: job failed: " + e.getMessage());
                stderr.printf("jvmpool: %d of %d batches were written to %s before it failed; fix the cause and run the same "
                        + "command with --resume to compute the rest%n", written.get(), job.plan().batches(), job.out());
                try {
                    report.write(job.out(), pool.freshSnapshot(), pool.timeline(), "failed", Main.firstLine(String.valueOf(e.getMessage())));
                } catch (IOException reportFailed) {
                    stderr.println("jvmpool: (run.json not written: " + reportFailed.getMessage() + ")");
                }
                return Main.EXIT_FAILED;
            } finally {
                removeHook(onSignal);
                Files.deleteIfExists(registration);
            }
            PoolSnapshot end = pool.freshSnapshot();
            report.write(job.out(), end, pool.timeline(), "done", null);
            long computed = job.plan().tasks() - done.cardinality();
            long remote = end.workers().stream().filter(w -> !w.local()).count();
            stderr.printf(Locale.ROOT, "jvmpool: %d tasks in %d batches done in %.2f s (%.1f tasks/s) on %d workers%s%s; files in %s%n",
                    computed, job.plan().batches(), report.wallSeconds(), computed / report.wallSeconds(), end.workers().size(),
                    remote > 0 ? ", " + remote + " remote" : "",
                    end.tasksFailed() > 0 ? ", " + end.tasksFailed() + " failed (see " + ErrorLog.FILE_NAME + ")" : "", job.out());
            if (!job.quiet()) {
                report.summarize(stderr, end, job.out());
            }
            return Main.EXIT_OK;
        } catch (Pool.ListenException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Waits for --min-workers ready workers, saying every few seconds how many there are. */
    private void awaitMinWorkers(Pool pool) throws InterruptedException {
        while (!pool.awaitWorkers(job.minWorkers(), 5, java.util.concurrent.TimeUnit.SECONDS)) {
            stderr.printf("jvmpool: waiting for workers: %d of %d ready (dial %s)%n", pool.connectedWorkers(), job.minWorkers(),
                    pool.address());
        }
    }

    /** Runs the job until its last batch is on disk, under the live view unless --quiet. */
    private void runWithProgress(Pool pool, BatchAssembler assembler, ErrorLog errors, BitSet done)
            throws JobFailedException, InterruptedException, IOException {
        if (job.quiet()) {
            pool.run(job.args(), sink(assembler, errors), done);
            assembler.finish();
            return;
        }
        try (ProgressReporter reporter = new ProgressReporter(stderr, Terminal.stderrIsTty(), pool::snapshot, 5)) {
            progress = reporter;
            pool.run(job.args(), sink(assembler, errors), done);
            assembler.finish(); // the last paths go above the final bar
        } finally {
            progress = null;
        }
    }

    /** The paths of written files, on stdout: above the live view while it runs, so that both stay readable. */
    private void printResults(java.util.List<String> lines) {
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

    /** Results go into the batches; a failed task ends the job, or with --on-error skip is logged and its row left empty. */
    private ResultSink sink(BatchAssembler assembler, ErrorLog errors) {
        return new ResultSink() {
            @Override
            public void accept(long first, TaskRows rows) {
                assembler.accept(first, rows);
            }

            @Override
            public void failed(TaskError error) {
                if (!job.skipFailedTasks()) {
                    throw new IllegalStateException(error.describe());
                }
                errors.add(error);
                assembler.failed(error);
            }
        };
    }

    /** Ctrl-C or SIGTERM: workers go at once, a batch being written is finished, nothing else is written. */
    private void interrupted(Pool pool, BatchAssembler assembler, ErrorLog errors, RunReport report, AtomicInteger written,
                             Path registration) {
        pool.killWorkers();
        assembler.abandon();
        try {
            errors.close(); // the lines of skipped tasks in batches already written
        } catch (IOException e) {
            stderr.println("jvmpool: " + e.getMessage());
        }
        stderr.printf("%njvmpool: interrupted: %d of %d batches written to %s; run the same command with --resume to compute the rest%n",
                written.get(), job.plan().batches(), job.out());
        stderr.flush();
        try {
            report.write(job.out(), pool.snapshot(), pool.timeline(), "interrupted", null);
            Files.deleteIfExists(registration);
            lock.close();
        } catch (IOException e) {
            // the JVM is on its way out; the batches on disk are what matters
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs
        }
    }
}
