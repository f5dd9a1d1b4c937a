package io.jvmpool.worker;

import io.jvmpool.shared.ProcessUsage;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * This process's CPU time and resident memory, as a worker reports them with its results and
 * heartbeats: from {@code /proc/self/stat}, as the coordinator reads its local workers'. The
 * platform MXBean only where there is no /proc: its first call costs a worker 35 ms of JMX and
 * cgroup probing, and it came with the worker's first result.
 */
final class SelfUsage {
    private static final long PID = ProcessHandle.current().pid();
    /** /proc's CPU times count in 10 ms ticks: reading more often than this gives nothing new. */
    private static final long REREAD_NANOS = 10_000_000L;
    private static long lastReadNanos;
    private static ProcessUsage.Reading last;

    private SelfUsage() {
    }

    static double cpuSeconds() {
        return reading().map(ProcessUsage.Reading::cpuSeconds).orElseGet(SelfUsage::cpuSecondsFromMxBean);
    }

    /** Resident set size; 0 where there is no /proc. */
    static long rssBytes() {
        return reading().map(ProcessUsage.Reading::rssBytes).orElse(0L);
    }

    private static synchronized Optional<ProcessUsage.Reading> reading() {
        long now = System.nanoTime();
        if (last == null || now - lastReadNanos >= REREAD_NANOS) {
            last = ProcessUsage.read(PID).orElse(null);
            lastReadNanos = now;
        }
        return Optional.ofNullable(last);
    }

    private static double cpuSecondsFromMxBean() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return 0;
    }
}
