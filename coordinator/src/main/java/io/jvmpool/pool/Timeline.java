package io.jvmpool.pool;

/**
 * When the pool reached each milestone, in seconds since this JVM started (0 when not reached):
 * the numbers behind "start-up" in the benchmarks and run.json.
 */
public record Timeline(double poolStarted, double allWorkersReady, double firstTaskSent, double firstResult) {
}
