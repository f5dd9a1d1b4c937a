package io.jvmpool.progress;

import java.nio.file.Files;
import java.nio.file.Path;

/** What kind of place our standard error goes to. */
public final class Terminal {

    private Terminal() {
    }

    /** True when stderr is a terminal (Linux: fd 2 points at a tty or pty). */
    public static boolean stderrIsTty() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }
}
