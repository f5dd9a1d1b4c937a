package io.jvmpool.pool;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Signals;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker that stops answering (SIGSTOP: no heartbeat, stream stalled) is taken for dead and replaced. */
@io.jvmpool.testing.Slow
class SilentWorkerTest {
    @TempDir
    Path dir;

    @Test
    void aStoppedWorkerIsReplacedAndTheJobCompletes() throws Exception {
        Path log = dir.resolve("log.txt");
        Process coordinator = Coordinator.start(dir, log, "--task", "burn", "--args", "500", "--batches", "2",
                "--batch-size", "10", "--workers", "2", "--heartbeat-timeout", "1s", "--out", dir.resolve("out").toString());
        List<ProcessHandle> workers = await().atMost(Duration.ofSeconds(60))
                .until(() -> Coordinator.workers(coordinator.toHandle()), w -> w.size() == 2);
        awaitBothBusy(log);
        long stopped = workers.get(0).pid();
        Signals.send("STOP", stopped);
        assertThat(coordinator.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(log);
        assertThat(coordinator.exitValue()).as(text).isZero();
        assertThat(text).contains("sent no heartbeat for");
        assertThat(Signals.millisUntilGone(List.of(stopped), 5000)).as("the stopped worker is killed").isNotNegative();
        assertThat(Files.exists(dir.resolve("out").resolve("label_para_1.npy"))).isTrue();
    }

    /** Waits until `jvmpool status` shows both workers running a task. */
    private static void awaitBothBusy(Path log) throws Exception {
        await("the two workers both run a task").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Matcher m = Pattern.compile("workers dial (127\\.0\\.0\\.1:\\d+)").matcher(Files.readString(log));
            return m.find() && Cli.run("status", "--coordinator", m.group(1)).out().lines()
                    .filter(l -> l.matches("\\s+w[01] .*busy.*")).count() == 2;
        });
    }
}
