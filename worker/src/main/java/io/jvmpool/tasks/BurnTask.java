package io.jvmpool.tasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Burns CPU (not sleep) for {@code arg0} milliseconds of this thread's CPU time and returns
 * {@code (index, arg0, mix(index))}: numbers that depend only on the task, so that any two runs of
 * the same job write identical files.
 */
public final class BurnTask implements Task {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Keeps the JIT from dropping the loop. */
    public static volatile long sink;

    @Override
    public void compute(long index, Args args, Outputs out) {
        if (args.size() < 1) {
            throw new IllegalArgumentException("the burn task takes the milliseconds to burn as its first argument");
        }
        double millis = args.getDouble(0);
        burn((long) (millis * 1_000_000));
        out.set(0, index);
        out.set(1, millis);
        out.set(2, mix(index) % 1000);
    }

    static void burn(long cpuNanos) {
        long end = THREADS.getCurrentThreadCpuTime() + cpuNanos;
        long x = 1;
        while (THREADS.getCurrentThreadCpuTime() < end) {
            for (int i = 0; i < 1000; i++) {
                x = (x * 1103515245 + 12345) & 0x7FFFFFFF;
            }
        }
        sink = x;
    }

    private static long mix(long v) {
        v = (v ^ (v >>> 33)) * 0xff51afd7ed558ccdL;
        v = (v ^ (v >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return (v ^ (v >>> 33)) & Long.MAX_VALUE;
    }
}
