package io.jvmpool.output;

/** How the tasks of a job fall into batches: task {@code i} is row {@code i % size} of batch {@code i / size}. */
public record BatchPlan(long tasks, int batchSize) {
    /** Tasks are counted and marked done in int-indexed structures (BitSet). */
    public static final long MAX_TASKS = Integer.MAX_VALUE;
    /** A batch's array for one output is one Java array: at most this many bytes. */
    public static final long MAX_BATCH_BYTES = Integer.MAX_VALUE - 8;

    public BatchPlan {
        if (tasks < 0 || batchSize <= 0) {
            throw new IllegalArgumentException("bad batch plan: " + tasks + " tasks in batches of " + batchSize);
        }
    }

    /** A plan of {@code batches} full batches of {@code batchSize} tasks. */
    public static BatchPlan of(int batches, int batchSize) {
        return new BatchPlan((long) batches * batchSize, batchSize);
    }

    public int batches() {
        return (int) ((tasks + batchSize - 1) / batchSize);
    }

    public int batchOf(long index) {
        return (int) (index / batchSize);
    }

    public int rowOf(long index) {
        return (int) (index % batchSize);
    }

    public long firstTask(int batch) {
        return (long) batch * batchSize;
    }

    /** Rows in batch {@code batch}; the last one may be short. */
    public int sizeOf(int batch) {
        return (int) Math.min(batchSize, tasks - firstTask(batch));
    }
}
