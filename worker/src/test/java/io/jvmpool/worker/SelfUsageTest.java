package io.jvmpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

class SelfUsageTest {

    @Test
    void cpuSecondsFromProcCountTheWorkThisProcessDid() {
        double before = SelfUsage.cpuSeconds();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long x = 0;
        while (threads.getCurrentThreadCpuTime() - start < 200_000_000L) { // 0.2 s of this thread's CPU
            for (int i = 0; i < 100_000; i++) {
                x += i * 31L ^ x;
            }
        }
        assertThat(x).isNotZero();
        // /proc counts in 10 ms ticks, and the process spent at least what this thread did
        assertThat(SelfUsage.cpuSeconds() - before).isGreaterThanOrEqualTo(0.18);
    }

    @Test
    void rssIsThisJvmsResidentMemory() {
        assertThat(SelfUsage.rssBytes()).isBetween(8L << 20, Runtime.getRuntime().maxMemory() + (1L << 30));
    }
}
