package io.jvmpool.progress;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Tmux;
import java.time.Duration;
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
    void pathsStayAboveTheLiveViewWhichIsRedrawnInPlaceAndEndsAsOneBarAndTheSummary() throws Exception {
        Path out = dir.resolve("lv2");
        // stdout and stderr both on the terminal, as when a user runs the README's first command
        try (Tmux tmux = Tmux.run(dir, 120, 30, Tmux.coordinator("--task", "burn", "--args", "250", "--batches", "3", "--batch-size", "8",
                "--workers", "2", "--out", "lv2"))) {
            String during = tmux.awaitScreen(s -> s.contains("  worker ") && s.contains("busy") && s.contains("lv2/"), 90);
            assertThat(during).containsPattern("\\d+%\\|.*\\| \\d+/24 \\[");
            assertThat(during).containsPattern("w0 +\\d+ +\\S+ +\\d+% +\\d+ MB");
            assertThat(during.lines().filter(l -> l.matches("  w\\d+ .*")).count()).as("one row per worker:\n" + during).isEqualTo(2);
            assertThat(during.lines().filter(l -> l.startsWith("  worker ")).count()).as("one header:\n" + during).isEqualTo(1);

            String after = tmux.awaitScreen(s -> s.contains("EXIT="), 120);
            List<String> lines = after.lines().filter(l -> !l.isBlank()).toList();
            for (int b = 0; b < 3; b++) {
                for (String name : List.of("label", "feature", "maybeother")) {
                    String path = "lv2/" + name + "_para_" + b + ".npy";
                    assertThat(lines.stream().filter(path::equals).count()).as(path + " exactly once:\n" + after).isEqualTo(1);
                }
            }
            assertThat(lines.stream().filter(l -> l.contains("%|")).count()).as("one bar:\n" + after).isEqualTo(1);
            assertThat(after).as("no stale frame").doesNotContain("  worker ")
                    .doesNotContainPattern("(?m)^  w\\d+ +\\d+ +\\S+ +\\d+% ");
            int bar = indexOf(lines, l -> l.contains("%|"));
            int lastPath = indexOf(lines, l -> l.equals("lv2/maybeother_para_2.npy"));
            int summary = indexOf(lines, l -> l.startsWith("jvmpool: 24 tasks in 3 batches done"));
            assertThat(lines.get(bar)).startsWith("100%|").contains("24/24");
            assertThat(lastPath).as("the paths, then the bar, then the summary:\n" + after).isLessThan(bar);
            assertThat(summary).isEqualTo(bar + 1);
            assertThat(lines.get(lines.size() - 1)).isEqualTo("EXIT=0");
            assertThat(Files.list(out).filter(p -> p.toString().endsWith(".npy")).count()).isEqualTo(9);
        }
    }

    @Test
    @io.jvmpool.testing.Slow
    void ctrlCMidJobLeavesTheTrueCountsAndOneMessage() throws Exception {
        try (Tmux tmux = Tmux.run(dir, 120, 30, Tmux.coordinator("--task", "burn", "--args", "300", "--batches", "4", "--batch-size", "8",
                "--workers", "2", "--out", "cc"))) {
            tmux.awaitScreen(s -> s.contains("cc/maybeother_para_0.npy") && s.contains("busy"), 120);
            tmux.keys("C-c");
            String after = tmux.awaitScreen(s -> s.contains("EXIT="), 60);
            List<String> lines = after.lines().filter(l -> !l.isBlank()).toList();
            assertThat(after).as("the table is gone").doesNotContain("  worker ").doesNotContainPattern("(?m)^  w\\d+ +\\d+ ");
            assertThat(lines.stream().filter(l -> l.contains("%|")).count()).as("one bar:\n" + after).isEqualTo(1);
            assertThat(after).as("no raw log line:\n" + after).doesNotContain("WARN").doesNotContain("exited with code")
                    .doesNotContain("go back to the queue");
            int bar = indexOf(lines, l -> l.contains("%|"));
            assertThat(lines.get(bar + 1)).startsWith("jvmpool: interrupted: 1 of 4 batches written to cc");
            assertThat(lines.get(bar + 2)).isEqualTo("EXIT=130");
        }
    }

    @Test
    @io.jvmpool.testing.Slow
    void waitingForWorkersIsPartOfTheLiveViewRedrawnInPlace() throws Exception {
        try (Tmux tmux = Tmux.run(dir, 120, 30, Tmux.coordinator("--workers", "0", "--min-workers", "2", "--out", "wait"))) {
            tmux.awaitScreen(s -> s.contains("waiting for workers: 0 of 2 ready"), 60);
            // off a terminal a notice line comes every 5 s; here the bar says it, in place, the whole time
            await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                    .until(tmux::screen, screen -> screen.lines().filter(l -> l.contains("waiting for workers: ")).count() == 1
                            && !screen.contains("jvmpool: waiting for workers: "));
            tmux.keys("C-c");
            tmux.awaitScreen(s -> s.contains("EXIT="), 30);
        }
    }

    @Test
    void aFrameIsCutToTheTerminalNeverWrapped() {
        List<String> fitted = ProgressReporter.fit(List.of("x".repeat(200), "  w0 busy", "  w1 busy", "  w2 busy"),
                new Terminal.Size(3, 40));
        assertThat(fitted).containsExactly("x".repeat(39), "  ... 3 more workers");
        assertThat(ProgressReporter.fit(List.of("a█b", "c"), new Terminal.Size(10, 3))).containsExactly("a█", "c");
    }

    private static int indexOf(List<String> lines, java.util.function.Predicate<String> p) {
        for (int i = 0; i < lines.size(); i++) {
            if (p.test(lines.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no such line in " + lines);
    }
}
