package io.jvmpool.args;

import io.jvmpool.proto.TaskChunk;

/**
 * The arguments of a job's tasks, by task index, as the scheduler hands them out: a whole table
 * known up front ({@link ArgTable}), or rows that arrive while the job runs ({@link ArgStream}).
 */
public interface ArgSource {

    /** Tasks {@code 0 .. available() - 1} can be handed out now. */
    long available();

    /**
     * Whether the job is over once {@code finished} of its tasks are: none is left and none will
     * come. A source whose rows are still coming answers false.
     */
    boolean endsAt(long finished);

    /**
     * How many of the tasks from {@code first} on, at most {@code max}, may go in one message:
     * arguments travel as typed columns, so one message holds rows of one shape.
     */
    default int run(long first, int max) {
        return max;
    }

    /** Adds the arguments of the tasks of {@code batch} (its index list, or its range) to it, as columns. */
    void appendArgs(TaskChunk.Builder batch);

    /** The arguments of task {@code index} as Python would print the tuple, for messages: {@code (1, 2, 3, 4)}. */
    String describe(long index);

    /** Task {@code index} is finished (or cancelled): its arguments are needed no more. */
    default void finished(long index) {
    }
}
