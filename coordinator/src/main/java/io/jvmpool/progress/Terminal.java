package io.jvmpool.progress;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What kind of place our standard error goes to, and how big the terminal is. */
public final class Terminal {
    /** A terminal's size in character cells. */
    public record Size(int rows, int columns) {
        static final Size DEFAULT = new Size(24, 80);
    }

    /** A warm pool client's terminal, while its job runs: its size as it last said, and who wants to hear of a change. */
    private static volatile Size clientSize;
    private static volatile Runnable onClientResize;

    private Terminal() {
    }

    /** The job's terminal is a warm pool client's, of this size (null: back to this process's own). */
    public static void client(Size size) {
        clientSize = size;
        onClientResize = null;
    }

    /** The client's terminal was resized. */
    public static void clientResized(Size size) {
        clientSize = size;
        Runnable action = onClientResize;
        if (action != null) {
            action.run();
        }
    }

    /** True when stderr is a terminal (Linux: fd 2 points at a tty or pty). */
    public static boolean stderrIsTty() {
        return isTty(2);
    }

    /** True when stdout is a terminal. */
    public static boolean stdoutIsTty() {
        return isTty(1);
    }

    private static boolean isTty(int fd) {
        return io.jvmpool.shared.Tty.isTerminal(fd);
    }

    /**
     * The size of our controlling terminal, as {@code stty size} reads it (Java has no call for it),
     * else {@code $LINES}/{@code $COLUMNS}, else 24 x 80.
     */
    public static Size size() {
        Size client = clientSize;
        if (client != null) {
            return client;
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0) {
                String[] parts = out.split("\\s+");
                int rows = Integer.parseInt(parts[0]);
                int columns = Integer.parseInt(parts[1]);
                if (rows > 0 && columns > 0) {
                    return new Size(rows, columns);
                }
            }
        } catch (Exception e) {
            // no terminal to ask: fall back below
        }
        return new Size(positiveEnv("LINES", Size.DEFAULT.rows()), positiveEnv("COLUMNS", Size.DEFAULT.columns()));
    }

    /** Runs {@code action} each time the terminal is resized (SIGWINCH); false where that can't be watched. */
    public static boolean onResize(Runnable action) {
        if (clientSize != null) {
            onClientResize = action;
            return true;
        }
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), signal -> action.run());
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static int positiveEnv(String name, int fallback) {
        try {
            int v = Integer.parseInt(System.getenv().getOrDefault(name, ""));
            return v > 0 ? v : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
