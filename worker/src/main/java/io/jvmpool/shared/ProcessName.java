package io.jvmpool.shared;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Names this process in {@code top} and {@code ps} (Linux only; elsewhere a no-op). */
public final class ProcessName {
    /** The kernel keeps at most 15 characters of a process name. */
    public static final int MAX_LENGTH = 15;

    private ProcessName() {
    }

    /** The name of local worker {@code index}: {@code jvmpool-w0}, {@code jvmpool-w1}, ... */
    public static String worker(int index) {
        return index < 0 ? "jvmpool-worker" : "jvmpool-w" + index;
    }

    /**
     * Writes {@code name} to {@code /proc/self/comm}, which names the JVM's first thread and so the
     * process as {@code top} and {@code ps} show it. Returns false where that is not possible.
     */
    public static boolean set(String name) {
        Path comm = Path.of("/proc/self/comm");
        if (!Files.isWritable(comm)) {
            return false;
        }
        String shortName = name.length() > MAX_LENGTH ? name.substring(0, MAX_LENGTH) : name;
        try {
            Files.write(comm, shortName.getBytes(StandardCharsets.US_ASCII));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
