package io.jvmpool.progress;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Coordinator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live view, read off a real terminal: the CLI runs in a tmux pseudo-terminal and the test reads the screen. */
class LiveViewTest {
    @TempDir
    Path dir;

    @Test
    void theTerminalShowsOneRowPerWorkerWhileTheJobRunsAndOnlyTheBarAfterIt() throws Exception {
        requireTmux();
        String session = "jvmpool-test-" + ProcessHandle.current().pid();
        Path script = dir.resolve("run.sh");
        Files.writeString(script, String.join(" ", quoted(List.of(Coordinator.java(), "-cp", System.getProperty("java.class.path"),
                "io.jvmpool.cli.Main", "--task", "burn", "--args", "600", "--batches", "2", "--batch-size", "6", "--workers", "2",
                "--out", dir.resolve("out").toString()))) + " >/dev/null; echo EXIT=$?; sleep 60\n");
        tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", "bash " + script);
        try {
            String during = awaitScreen(session, s -> s.contains("  worker ") && s.contains("w0") && s.contains("w1")
                    && s.contains("busy"), 90);
            assertThat(during).containsPattern("\\d+%\\|.*\\| \\d+/12 \\[");
            assertThat(during).containsPattern("w0 +\\d+ +\\S+ +\\d+% +\\d+ MB");
            String after = awaitScreen(session, s -> s.contains("EXIT="), 120);
            assertThat(after).contains("EXIT=0").contains("100%|").contains("12/12");
            assertThat(after).as("the table is gone at the end").doesNotContain("  worker ");
            assertThat(after.lines().filter(l -> l.contains("%|")).count()).as("one bar, redrawn in place").isEqualTo(1);
        } finally {
            tmux("kill-session", "-t", session);
        }
    }

    private static List<String> quoted(List<String> words) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            out.add("'" + w.replace("'", "'\\''") + "'");
        }
        return out;
    }

    private static String awaitScreen(String session, java.util.function.Predicate<String> done, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = tmux("capture-pane", "-p", "-t", session);
            if (done.test(screen)) {
                return screen;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the screen never showed what was expected:\n" + screen);
    }

    private static String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static void requireTmux() {
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return;
            }
        } catch (IOException | InterruptedException e) {
            // not there
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError("tmux is needed for this test (CI=true, so it is not skipped)");
        }
        Assumptions.abort("tmux is not installed: skipped (set CI=true to make this a failure)");
    }
}
