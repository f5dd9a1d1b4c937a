package io.jvmpool.pool;

/**
 * When the pool reached each milestone, in seconds since the JVM the user started (0 when not
 * reached): this JVM, or with {@code java -jar} the launcher that started it. The numbers behind
 * "start-up" in the benchmarks and run.json.
 */
public record Timeline(double poolStarted, double allWorkersReady, double firstTaskSent, double firstResult) {
    /** When the JVM the user started began, in epoch milliseconds: the origin of every milestone. */
    public static long origin() {
        return Long.getLong(io.jvmpool.launch.Relaunch.LAUNCHED_AT, java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
    }
}
