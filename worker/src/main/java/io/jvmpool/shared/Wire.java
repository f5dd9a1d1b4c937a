package io.jvmpool.shared;

/** What both ends of the wire agree on: message sizes, flow control, and the codes a worker's life ends with. */
public final class Wire {
    /** The largest message either side accepts. */
    public static final int MAX_MESSAGE_BYTES = 256 << 20;
    /** HTTP/2 flow-control window: room for a few result messages in flight, for large results. */
    public static final int FLOW_CONTROL_WINDOW = 16 << 20;
    /** How many batches' RowFiles a worker keeps; the coordinator tells it again of any older one. */
    public static final int ROW_FILES_KEPT = 16;
    /** Exit code of a worker whose coordinator closed its standard input (the coordinator is gone). */
    public static final int EXIT_LIFELINE = 3;
    /**
     * Exit code of a worker that was given the next job of a warm pool while threads of the last
     * job's task still ran: the coordinator starts a fresh JVM in its place, which is no failure.
     */
    public static final int EXIT_FOR_A_FRESH_JVM = 4;

    private Wire() {
    }
}
