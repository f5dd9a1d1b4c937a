package io.jvmpool.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.TimeUnit;

/** Sends signals with kill(1), and waits for processes to be gone. */
public final class Signals {

    private Signals() {
    }

    public static void send(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        kill.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * True while the process runs. A process that has exited but is not yet reaped (a zombie, as an
     * orphan is until init reaps it) has ended: it holds no memory and runs nothing.
     */
    public static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits up to {@code limitMillis} until none of the pids runs; returns the milliseconds it took (to 5 ms), or -1. */
    public static long millisUntilGone(Collection<Long> pids, long limitMillis) {
        long start = System.nanoTime();
        try {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMillis(limitMillis)).pollDelay(java.time.Duration.ZERO)
                    .pollInterval(java.time.Duration.ofMillis(5)).until(() -> pids.stream().noneMatch(Signals::isRunning));
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return -1;
        }
    }
}
