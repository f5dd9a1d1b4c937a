package io.jvmpool.pool;

import java.util.Locale;

/** Where a worker slot stands; shown by its lowercase name (the live view, {@code status}, run.json). */
public enum WorkerState {
    /** A process was started, or dialed in, and is setting its task up. */
    STARTING,
    /** Ready, holding no task. */
    IDLE,
    /** Holding tasks. */
    BUSY,
    /** Its process ended or its stream is gone; a replacement may take the index. */
    GONE;

    /** The name as shown: {@code starting}, {@code idle}, {@code busy}, {@code gone}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state a label names ({@code status} reads them off the wire). */
    public static WorkerState of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return label();
    }
}
