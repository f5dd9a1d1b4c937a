package io.jvmpool.shared;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a standard stream of this process is a terminal (Linux: its descriptor points at a tty or pty). */
public final class Tty {
    private Tty() {
    }

    public static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }
}
