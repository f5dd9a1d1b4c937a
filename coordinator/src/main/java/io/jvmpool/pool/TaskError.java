package io.jvmpool.pool;

/**
 * A task that threw in its worker.
 *
 * @param index      the task's index
 * @param arguments  its arguments, as Python would print the tuple
 * @param worker     the worker it ran in
 * @param message    the exception's one-line message
 * @param stackTrace the worker-side stack trace
 */
public record TaskError(long index, String arguments, String worker, String message, String stackTrace) {

    /** One line: which task, with what, where and why. */
    public String describe() {
        return "task " + index + " " + arguments + " failed in worker " + worker + ": " + message;
    }

    /** A worker-side stack trace, indented under the line that names the task. */
    static String indented(String trace) {
        return trace.isEmpty() ? "" : "  worker-side stack trace:\n    " + trace.strip().replace("\n", "\n    ");
    }
}
