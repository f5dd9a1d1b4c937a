package io.jvmpool.pool;

/**
 * When the pool reached each milestone, in seconds since the JVM the user started (0 when not
 * reached): this JVM, or with {@code java -jar} the launcher that started it. The numbers behind
 * "start-up" in the benchmarks and run.json.
 */
public record Timeline(double poolStarted, double allWorkersReady, double firstTaskSent, double firstResult) {
    /** A system property: when the JVM the user started began (epoch ms), set by a launcher that started this JVM for it. */
    public static final String LAUNCHED_AT = "jvmpool.launched.at";

    /**
     * When the JVM the user started began, in epoch milliseconds: the origin of every milestone. The
     * runtime MXBean only without the launcher's time: its first call initialises JMX (~80 classes),
     * at the end of every job.
     */
    public static long origin() {
        Long launched = Long.getLong(LAUNCHED_AT);
        return launched != null ? launched : java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    }
}
