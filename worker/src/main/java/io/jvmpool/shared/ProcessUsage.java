package io.jvmpool.shared;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** CPU time and resident memory of a local process, read from {@code /proc} (Linux). */
public final class ProcessUsage {
    /** Clock ticks per second of /proc/PID/stat's times: 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final long PAGE_SIZE = 4096;

    /** One reading: CPU seconds (user + system) and resident set size. */
    public record Reading(double cpuSeconds, long rssBytes) {
    }

    private ProcessUsage() {
    }

    /** The process's usage now, or empty when it is gone or there is no /proc. */
    public static Optional<Reading> read(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
            long rss = Long.parseLong(f[21]) * PAGE_SIZE;
            return Optional.of(new Reading(cpu, rss));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
