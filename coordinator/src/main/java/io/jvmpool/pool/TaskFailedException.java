package io.jvmpool.pool;

/** A task threw in its worker: thrown by {@link Pool}'s iterators, and the cause of a failed {@link Pool#submit} future. */
public final class TaskFailedException extends IllegalStateException {
    private final transient TaskError error;

    public TaskFailedException(TaskError error) {
        super(error.describe());
        this.error = error;
    }

    /** Which task, with what arguments, where and why, with the worker-side stack trace. */
    public TaskError error() {
        return error;
    }
}
