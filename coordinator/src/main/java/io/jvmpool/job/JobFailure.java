package io.jvmpool.job;

import java.nio.file.Path;

/**
 * A job that started could not be completed. The batches written before it failed are whole and
 * listed in the manifest: running the same job again with resume computes only the rest.
 */
public final class JobFailure extends Exception {
    private final int batchesWritten;
    private final int batches;
    private final Path out;
    /** The exit code of a job that was interrupted ({@link JobRunner#interrupt}, and said so); 0 for one that failed. */
    private final int interruptedExit;

    JobFailure(String message, Throwable cause, int batchesWritten, int batches, Path out) {
        this(message, cause, batchesWritten, batches, out, 0);
    }

    JobFailure(String message, Throwable cause, int batchesWritten, int batches, Path out, int interruptedExit) {
        super(message, cause);
        this.batchesWritten = batchesWritten;
        this.batches = batches;
        this.out = out;
        this.interruptedExit = interruptedExit;
    }

    /** For a job that was interrupted: the exit code its signal means (130, 143, 129), its message already said; else 0. */
    public int interruptedExit() {
        return interruptedExit;
    }

    public int batchesWritten() {
        return batchesWritten;
    }

    public int batches() {
        return batches;
    }

    public Path out() {
        return out;
    }
}
