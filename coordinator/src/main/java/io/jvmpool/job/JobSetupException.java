package io.jvmpool.job;

/** A job could not start (the output folder is locked or holds other results, the port is taken): nothing was changed. */
public final class JobSetupException extends Exception {
    public JobSetupException(String message) {
        super(message);
    }
}
