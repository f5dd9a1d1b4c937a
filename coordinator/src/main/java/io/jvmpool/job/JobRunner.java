package io.jvmpool.job;

import io.jvmpool.rows.TaskRows;
import io.jvmpool.output.AtomicFile;
import io.jvmpool.output.BatchAssembler;
import io.jvmpool.rows.InPlaceBatch;
import io.jvmpool.output.Manifest;
import io.jvmpool.output.OutputProbe;
import io.jvmpool.output.OutputLock;
import io.jvmpool.pool.JobFailedException;
import io.jvmpool.pool.Pool;
import io.jvmpool.pool.PoolSnapshot;
import io.jvmpool.pool.ResultSink;
import io.jvmpool.pool.TaskError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a job as the command line does: locks and checks the output folder, starts the pool, feeds
 * results into the batch files and the manifest, writes errors.tsv and run.json, and when the JVM
 * is shut down while it runs (Ctrl-C, SIGTERM) ends the workers at once and leaves only whole
 * batches behind.
 *
 * <pre>{@code
 * JobSpec job = JobSpec.of(new PoolOptions().task("seed"), ArgTable.constant(List.of(1, 2, 3, 4), 20), 10,
 *         List.of("label", "feature", "maybeother"), Path.of("trainset"));
 * JobResult done = new JobRunner(job, new JobListener() { }).run();
 * }</pre>
 */
public final class JobRunner {
    private final JobSpec job;
    private final JobListener listener;
    private final PoolSource pools;
    /** Stops the job at once (Ctrl-C, SIGTERM): set while the pool runs; runs once. */
    private volatile Runnable onInterrupt;
    private final java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile int interruptedExit;
    /** Counted down once the interruption has been said and reported: the job's thread ends only after it. */
    private final java.util.concurrent.CountDownLatch interruptDone = new java.util.concurrent.CountDownLatch(1);
    /** The output folder's lock, released at the end, also on Ctrl-C. */
    private OutputLock lock;
    /** What the output folder was before this run, so that a run that writes no batch leaves it so. */
    private FolderBefore before;
    /** Batches this run put in place (not those kept from before). */
    private final AtomicInteger writtenNow = new AtomicInteger();

    public JobRunner(JobSpec job, JobListener listener) {
        this(job, listener, PoolSource.FRESH);
    }

    /** A job whose pool comes from {@code pools} (a warm pool's, for one). */
    public JobRunner(JobSpec job, JobListener listener, PoolSource pools) {
        this.job = job;
        this.listener = listener;
        this.pools = pools;
    }

    /**
     * Stops the job as Ctrl-C does, from another thread (a warm pool's client was sent a signal):
     * the workers stop at once, whole batches stay, {@link #run} then throws a {@link JobFailure}
     * whose {@link JobFailure#interruptedExit()} is {@code exitCode}. Nothing happens before the pool
     * runs, or a second time.
     */
    public void interrupt(int exitCode) {
        Runnable stop = onInterrupt;
        if (stop != null) {
            interruptedExit = exitCode;
            stop.run();
        }
    }

    /**
     * Runs the job to its end.
     *
     * @throws JobSetupException when it could not start; nothing was changed on disk
     * @throws JobFailure        when it started and failed; the batches written before are whole
     */
    public JobResult run() throws JobSetupException, JobFailure, IOException, InterruptedException {
        before = FolderBefore.of(job.out());
        try {
            Files.createDirectories(job.out());
        } catch (IOException e) {
            throw new JobSetupException("can't create the output folder " + job.out() + ": " + e.getMessage());
        }
        try {
            try {
                lock = OutputLock.acquire(job.out());
            } catch (OutputLock.HeldException e) {
                throw new JobSetupException(e.getMessage());
            }
            try (OutputLock held = lock) {
                AtomicFile.removeLeftovers(job.out()).forEach(p -> listener.notice("removed " + p.getFileName()
                        + ", left by a run that did not finish"));
                return runLocked();
            }
        } catch (JobSetupException | JobFailure e) {
            if (writtenNow.get() == 0) {
                before.restore(); // a run that put no batch in place leaves the folder as it found it
            }
            throw e;
        }
    }

    private JobResult runLocked() throws JobSetupException, JobFailure, IOException, InterruptedException {
        OutputFolder.Start start = OutputFolder.check(job.out(), job.description(), job.outputs(), job.resume(), job.overwrite(),
                job.names());
        Manifest manifest = start.manifest();
        RunReport report = new RunReport(job.report());
        AtomicInteger written = new AtomicInteger(start.keptBatches().size());
        BatchAssembler assembler = new BatchAssembler(job.plan(), job.pool().dtypes(), job.outputs(), job.out(), manifest, batch -> {
            report.batchWritten(batch);
            written.incrementAndGet();
            writtenNow.incrementAndGet();
            listener.batchWritten(batch.batch(), batch.files().stream().map(BatchAssembler.WrittenFile::path).toList());
        });
        report.countInPlace(assembler::rowsInPlace);
        report.describeArrays(assembler::arrays);
        BitSet done = new BitSet();
        for (int b : start.keptBatches()) {
            assembler.skip(b);
            done.set((int) job.plan().firstTask(b), (int) (job.plan().firstTask(b) + job.plan().sizeOf(b)));
        }
        if (!start.keptBatches().isEmpty()) {
            listener.notice(String.format("resuming: %d of %d batches are already in %s", start.keptBatches().size(),
                    job.plan().batches(), job.out()));
        }
        if (written.get() == job.plan().batches()) {
            listener.notice("nothing to do: every batch is already written");
            return new JobResult(0, job.plan().batches(), 0, null, job.out(), null);
        }

        Pool pool = null;
        boolean clean = false;
        try (ErrorLog errors = new ErrorLog(job.out(), job.resume());
             OutputProbe probe = OutputProbe.create(job.out())) {
            try {
                pool = pools.take(job.pool().outputProbe(probe.name(), probe.secret()));
                report.ranOnWarmPool(pools.reused());
            } catch (IllegalArgumentException e) { // a warm pool that can't run this job's task
                throw new JobSetupException(e.getMessage());
            }
            start.apply(); // only now that the pool runs: a job that can't start changes nothing on disk
            Path registration = CoordinatorRegistry.register(pool.localAddress());
            if (job.addressFile() != null) {
                AtomicFile.write(job.addressFile(), (pool.address() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (job.generatedToken() != null) {
                listener.notice("workers must present this token (JVMPOOL_TOKEN=... or --token-file): " + job.generatedToken());
            }
            Pool running = pool;
            onInterrupt = () -> {
                if (interrupted.compareAndSet(false, true)) {
                    try {
                        interrupted(running, assembler, errors, report, written, registration, probe);
                    } finally {
                        interruptDone.countDown();
                    }
                }
            };
            Thread onSignal = new Thread(onInterrupt, "jvmpool-interrupt");
            if (pools.ownsJvm()) {
                Runtime.getRuntime().addShutdownHook(onSignal);
            }
            try {
                listener.started(pool);
                while (!pool.awaitWorkers(job.minWorkers(), 5, TimeUnit.SECONDS)) {
                    listener.waitingForWorkers(pool.connectedWorkers(), job.minWorkers(), pool.address());
                }
                pool.run(job.args(), sink(assembler, errors), done);
                assembler.finish();
            } catch (JobFailedException | IOException e) {
                if (interrupted.get()) { // said and reported by interrupted(); the workers are stopped
                    interruptDone.await();
                    throw new JobFailure("interrupted", e, written.get(), job.plan().batches(), job.out(),
                            interruptedExit == 0 ? 130 : interruptedExit);
                }
                assembler.abandon();
                listener.ended();
                removeHook(onSignal);
                try {
                    report.write(job.out(), pool.freshSnapshot(), pool.timeline(), "failed", firstLine(String.valueOf(e.getMessage())));
                } catch (IOException reportFailed) {
                    listener.notice("(run.json not written: " + reportFailed.getMessage() + ")");
                }
                throw new JobFailure(e.getMessage(), e, written.get(), job.plan().batches(), job.out());
            } finally {
                removeHook(onSignal);
                Files.deleteIfExists(registration);
            }
            listener.ended();
            PoolSnapshot end = pool.freshSnapshot();
            report.write(job.out(), end, pool.timeline(), "done", null);
            clean = true;
            return new JobResult(job.plan().tasks() - done.cardinality(), job.plan().batches(), report.wallSeconds(), end, job.out(),
                    job.out().resolve(RunReport.FILE_NAME));
        } catch (Pool.ListenException e) {
            throw new JobSetupException(e.getMessage());
        } finally {
            onInterrupt = null;
            if (pool != null) {
                pools.done(pool, clean);
            }
        }
    }

    /** Results go into the batches; a failed task ends the job, or when skipped is logged and its row left empty. */
    private ResultSink sink(BatchAssembler assembler, ErrorLog errors) {
        return new ResultSink() {
            @Override
            public void accept(long first, TaskRows rows) {
                assembler.accept(first, rows);
            }

            @Override
            public InPlaceBatch inPlace(long index) {
                return assembler.inPlace(index);
            }

            @Override
            public void failed(TaskError error) {
                listener.taskFailed(error.describe());
                if (!job.skipFailedTasks()) {
                    throw new IllegalStateException(error.describe());
                }
                errors.add(error);
                assembler.failed(error.index());
            }
        };
    }

    /** Ctrl-C or SIGTERM: workers go at once, a batch being written is finished, nothing else is written. */
    private void interrupted(Pool pool, BatchAssembler assembler, ErrorLog errors, RunReport report, AtomicInteger written,
                             Path registration, OutputProbe probe) {
        pools.stopNow(pool);
        assembler.abandon();
        try {
            errors.close(); // the lines of skipped tasks in batches already written
        } catch (IOException e) {
            listener.notice(e.getMessage());
        }
        listener.interrupted(written.get(), job.plan().batches(), job.out());
        try {
            report.write(job.out(), pool.snapshot(), pool.timeline(), "interrupted", null);
            Files.deleteIfExists(registration);
            probe.close();
            lock.close();
            if (writtenNow.get() == 0) {
                before.restore();
            }
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

    /** The first line of a message: errors are reported in one line, details go below or to the log. */
    static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
