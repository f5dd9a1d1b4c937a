package io.jvmpool.pool;

/** The job could not be completed; the message says why in one line, the details follow it. */
public final class JobFailedException extends Exception {
    public JobFailedException(String message) {
        super(message);
    }
}
