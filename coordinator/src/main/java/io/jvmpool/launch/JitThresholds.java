package io.jvmpool.launch;

/**
 * The JIT's settings for jvmpool's own JVMs. Workers: a method is compiled once it has run 4 times
 * as often as by default. Start-up code (gRPC, Netty, protobuf,
 * class loading), which runs a few hundred times and never again, then stays interpreted instead of
 * taking the JIT's threads from the work, while a task's hot loops still reach the optimizing
 * compiler within milliseconds. Measured on 2 cores, alternating runs: the seed job 0.2 s sooner and
 * 0.5 CPU-seconds cheaper, 40 x 100 ms burn tasks 3% less CPU, 1 MiB results over gRPC 10% faster.
 * A {@code -XX:CompileThresholdScaling} of the user's, given after it, wins.
 *
 * <p>The coordinator runs no user code: it moves bytes (gRPC, files) and keeps the books, all of
 * which the quick compiler (C1) compiles well enough. Its optimizing compiler cost more than it
 * gave: with 1 MiB results over gRPC it compiled for 3.4 CPU-seconds of a 7-second job
 * ({@code -XX:+CITime}), on cores the workers need. C1 only, measured on 2 cores, in turn: results
 * over gRPC 320-370 MB/s instead of 240-290, one task per message 1.41 s instead of 2.05 s, 1M and
 * 10M tiny tasks and the seed job unchanged. C1 compiles cheaply, so the coordinator keeps the default
 * thresholds: a quarter of them cost it 10% of its gRPC throughput while its code ran interpreted.
 */
public final class JitThresholds {
    /** The workers' JVM flag. */
    public static final String FLAG = "-XX:CompileThresholdScaling=4";
    /** The coordinator's own JVM: the quick compiler only. */
    public static final String COORDINATOR_FLAG = "-XX:TieredStopAtLevel=1";

    private JitThresholds() {
    }
}
