package io.jvmpool.pool;

/**
 * How many tasks go in one message to a worker and how many it may hold: the scheduling policy,
 * apart from its bookkeeping, so that it can be read and tested on its own.
 *
 * <p>A message carries a few milliseconds of the worker's measured work (one task until it has
 * been measured, or a fixed chunk size); a worker holds two messages, or about
 * {@link #PREFETCH_NANOS} of work when messages are small, so that it never waits for its next
 * task. Long tasks go one at a time with one queued behind. Near the end of the job messages shrink
 * so that all workers finish together.
 */
final class MessageSizing {
    /** The work one message should carry. */
    static final long TARGET_MESSAGE_NANOS = 5_000_000L;
    /** Above this a task goes alone, and a worker holds at most one more behind the one it runs. */
    static final long LONG_TASK_NANOS = 50_000_000L;
    static final int MAX_TASKS_PER_MESSAGE = 65_536;
    /** The work a worker may hold beyond two messages, when messages are small. */
    static final long PREFETCH_NANOS = 20_000_000L;
    static final long MAX_PREFETCH_TASKS = 1024;

    /** Tasks per message when fixed; 0 to size messages by measured work. */
    private final int chunkSize;

    MessageSizing(int chunkSize) {
        this.chunkSize = chunkSize;
    }

    static boolean isLong(double taskNanos) {
        return taskNanos >= LONG_TASK_NANOS;
    }

    /**
     * Tasks per message for a worker whose tasks take {@code taskNanos} (0: not measured yet), when
     * {@code left} tasks are left for {@code workers} workers: a few ms of work, smaller near the end.
     */
    int messageSize(double taskNanos, long left, int workers) {
        if (chunkSize > 0) {
            return chunkSize;
        }
        if (taskNanos <= 0) {
            return 1;
        }
        long size = Math.max(1, Math.min(MAX_TASKS_PER_MESSAGE, (long) (TARGET_MESSAGE_NANOS / taskNanos)));
        long tail = Math.max(1, left / (2L * Math.max(1, workers)));
        return (int) Math.min(size, tail);
    }

    /**
     * How many tasks a worker may hold. Long tasks: the one it runs and one queued behind it, so
     * that the round trip of a result and the next task hides behind the work; near the end just the
     * one it runs, so that no task waits behind another while a worker is idle. Short tasks: two
     * messages, or when messages are small, as many as make about PREFETCH_NANOS of work.
     */
    static long mayHold(double taskNanos, int messageSize, long left, int workers) {
        if (isLong(taskNanos)) {
            return left > 2L * Math.max(1, workers) ? 2 : 1;
        }
        if (taskNanos <= 0) {
            return 2L * messageSize;
        }
        return Math.max(2L * messageSize, Math.min(MAX_PREFETCH_TASKS, (long) (PREFETCH_NANOS / taskNanos)));
    }
}
