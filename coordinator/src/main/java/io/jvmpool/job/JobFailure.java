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

    JobFailure(String message, Throwable cause, int batchesWritten, int batches, Path out) {
        super(message, cause);
        this.batchesWritten = batchesWritten;
        this.batches = batches;
        this.out = out;
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
