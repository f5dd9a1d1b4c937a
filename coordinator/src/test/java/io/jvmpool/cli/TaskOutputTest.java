package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Slow;
import io.jvmpool.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever a task prints, the job goes on and the terminal stays the user's. */
@Slow
class TaskOutputTest {
    @TempDir
    Path dir;

    @Test
    void aSixtyFourMebibyteLineWithoutANewlineDoesNotStopACoordinatorOf128Mebibytes() throws Exception {
        Path log = dir.resolve("log.txt");
        Process coordinator = Coordinator.start(dir, log, List.of("-Xmx128m"), "--task", "io.jvmpool.testtasks.ChattyTask",
                "-P", "line=" + (64 << 20), "--outputs", "i", "--dtype", "int64", "--batches", "1", "--batch-size", "2", "--workers", "2",
                "-q", "--out", dir.resolve("out").toString());
        assertThat(coordinator.waitFor(180, TimeUnit.SECONDS)).as("the job ends").isTrue();
        assertThat(coordinator.exitValue()).isZero();
        try (var lines = Files.lines(log)) {
            assertThat(lines.filter(l -> l.startsWith("[w")).filter(l -> l.contains("passed on in pieces")).count())
                    .as("said once per worker that printed one").isBetween(1L, 2L);
        }
        assertThat(Files.size(log)).as("every byte passed on").isGreaterThan(2L * (64 << 20));
    }

    @Test
    void controlSequencesFromATaskNeverReachTheTerminal() throws Exception {
        String nasty = "\\e[2J\\e[H\\e]0;pwned\\a\\e[?25l\\e[5Adone \\e[32mgreen\\e[0m\\n";
        try (Tmux tmux = Tmux.run(dir, 100, 30, Tmux.coordinator("--task", "io.jvmpool.testtasks.ChattyTask", "-P", "text=" + nasty,
                "--outputs", "i", "--dtype", "int64", "--batches", "2", "--batch-size", "2", "--workers", "2", "--out", "out"))) {
            String screen = tmux.awaitScreen(s -> s.contains("EXIT="), 120);
            assertThat(screen).as("the paths stay").contains("out/i_para_0.npy").contains("out/i_para_1.npy");
            assertThat(screen).contains("[w0] done green").contains("jvmpool: 4 tasks in 2 batches done").contains("EXIT=0");
            assertThat(tmux.attribute("cursor_flag")).as("the cursor is shown").isEqualTo("1");
            assertThat(tmux.attribute("pane_title")).as("the title is the terminal's").doesNotContain("pwned");
        }
    }

    @Test
    void progressWithCarriageReturnsShowsItsLatestPartOnATerminal() throws Exception {
        try (Tmux tmux = Tmux.run(dir, 100, 30, Tmux.coordinator("--task", "io.jvmpool.testtasks.ChattyTask", "-P",
                "text=10%\\r20%\\r30%\\rfinished\\n", "--outputs", "i", "--dtype", "int64", "--batches", "1", "--batch-size", "1",
                "--workers", "1", "--out", "out"))) {
            String screen = tmux.awaitScreen(s -> s.contains("EXIT="), 120);
            assertThat(screen).contains("[w0] finished").doesNotContain("20%").doesNotContain("%finished");
        }
    }
}
