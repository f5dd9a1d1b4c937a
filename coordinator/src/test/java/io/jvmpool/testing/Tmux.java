package io.jvmpool.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real terminal for a test: a command runs in a tmux pseudo-terminal, and the test reads its screen and presses keys. */
public final class Tmux implements AutoCloseable {
    private final String session;

    private Tmux(String session) {
        this.session = session;
    }

    /**
     * Runs {@code command} in {@code folder} on a terminal of {@code columns} x {@code rows}; when it
     * ends, the screen shows {@code EXIT=<its exit code>} and stays for a minute.
     */
    public static Tmux run(Path folder, int columns, int rows, List<String> command) throws IOException, InterruptedException {
        Need.TMUX.require();
        Tmux t = new Tmux("jvmpool-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000);
        Path script = Files.createTempFile(folder, "tmux", ".sh");
        Files.writeString(script, "cd " + quote(folder.toString()) + " && " + String.join(" ", command.stream().map(Tmux::quote).toList())
                + "; echo EXIT=$?; sleep 60\n");
        tmux("new-session", "-d", "-s", t.session, "-x", Integer.toString(columns), "-y", Integer.toString(rows), "bash " + script);
        return t;
    }

    /** The command line of a coordinator in this test's class path (as the CLI's users start it, less the relaunch). */
    public static List<String> coordinator(String... argv) {
        List<String> command = new ArrayList<>(List.of(Coordinator.java(), "-cp", System.getProperty("java.class.path"), "io.jvmpool.cli.Main"));
        command.addAll(List.of(argv));
        return command;
    }

    /** The screen now, as text. */
    public String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-t", session);
    }

    /** Waits until the screen shows what {@code done} wants; returns that screen. */
    public String awaitScreen(Predicate<String> done, int seconds) {
        String[] last = {""};
        try {
            return await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(200))
                    .until(() -> last[0] = screen(), done);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the screen never showed what was expected:\n" + last[0], e);
        }
    }

    /** Presses keys, as tmux names them ({@code C-c}, {@code Enter}). */
    public void keys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** A pane attribute, as tmux's format names it ({@code cursor_flag}: 1 when the cursor is shown; {@code pane_title}). */
    public String attribute(String name) throws IOException, InterruptedException {
        return tmux("display-message", "-p", "-t", session, "#{" + name + "}").strip();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        tmux("kill-session", "-t", session);
    }

    private static String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static String quote(String w) {
        return "'" + w.replace("'", "'\\''") + "'";
    }
}
