package io.jvmpool.job;

import io.jvmpool.pool.Pool;
import java.nio.file.Path;
import java.util.List;

/**
 * What a running job tells its caller, on the job's threads: keep each call short. Every method
 * does nothing by default.
 */
public interface JobListener {

    /** A one-line note (resuming, leftovers removed, nothing to do, a generated token). */
    default void notice(String message) {
    }

    /** The pool runs and the job is about to start: a live view may watch {@link Pool#snapshot()}. */
    default void started(Pool pool) {
    }

    /** Still waiting for the minimum number of workers, every few seconds. */
    default void waitingForWorkers(int ready, int wanted, String address) {
    }

    /** A batch is whole on disk: these are its files, renamed into place and listed in the manifest. */
    default void batchWritten(int batch, List<Path> files) {
    }

    /** A task failed: {@code description} names it, its arguments and the error (the job stops, or with --on-error skip goes on). */
    default void taskFailed(String description) {
    }

    /** The job has ended (done or failed); nothing more is written after this but run.json. */
    default void ended() {
    }

    /**
     * The JVM is shutting down (Ctrl-C, SIGTERM) while the job runs: the workers are gone and
     * {@code written} of {@code batches} batches are whole on disk.
     */
    default void interrupted(int written, int batches, Path out) {
    }

    /** Both listeners, {@code first} first, for every call. */
    static JobListener both(JobListener first, JobListener second) {
        return new JobListener() {
            @Override
            public void notice(String message) {
                first.notice(message);
                second.notice(message);
            }

            @Override
            public void started(Pool pool) {
                first.started(pool);
                second.started(pool);
            }

            @Override
            public void waitingForWorkers(int ready, int wanted, String address) {
                first.waitingForWorkers(ready, wanted, address);
                second.waitingForWorkers(ready, wanted, address);
            }

            @Override
            public void batchWritten(int batch, List<Path> files) {
                first.batchWritten(batch, files);
                second.batchWritten(batch, files);
            }

            @Override
            public void taskFailed(String description) {
                first.taskFailed(description);
                second.taskFailed(description);
            }

            @Override
            public void ended() {
                first.ended();
                second.ended();
            }

            @Override
            public void interrupted(int written, int batches, Path out) {
                first.interrupted(written, batches, out);
                second.interrupted(written, batches, out);
            }
        };
    }
}
