package io.jvmpool.shared;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a standard stream of this process is a terminal (Linux: its descriptor points at a tty or
 * pty); for a warm pool's job, whether its client's is.
 */
public final class Tty {
    /** Whether the client's stdout and stderr are terminals, while a warm pool runs its job; null otherwise. */
    private static volatile boolean[] client;

    private Tty() {
    }

    /** From now on stdout and stderr are taken to be the warm pool client's: terminals or not as these say. */
    public static void client(boolean stdout, boolean stderr) {
        client = new boolean[] {false, stdout, stderr};
    }

    /** Back to this process's own streams. */
    public static void own() {
        client = null;
    }

    public static boolean isTerminal(int fd) {
        boolean[] c = client;
        if (c != null && fd >= 0 && fd < c.length) {
            return c[fd];
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }
}
