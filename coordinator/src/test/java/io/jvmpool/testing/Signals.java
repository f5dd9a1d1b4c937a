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

    /** Waits up to {@code limitMillis} until none of the pids runs; returns the milliseconds it took, or -1. */
    public static long millisUntilGone(Collection<Long> pids, long limitMillis) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            boolean any = pids.stream().anyMatch(Signals::isRunning);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (!any) {
                return elapsed;
            }
            if (elapsed > limitMillis) {
                return -1;
            }
            Thread.sleep(5);
        }
    }
}
