package io.jvmpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Argv;
import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Folders;
import io.jvmpool.testing.Signals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers killed again and again during a sweep: the job still completes, with the files of an undisturbed run. */
@io.jvmpool.testing.Slow
class ChaosTest {
    private static final String[] SWEEP = {"--task", "burn", "--args", "6", "--batches", "20", "--batch-size", "100",
        "--workers", "2", "--max-attempts", "10"};

    @TempDir
    Path dir;

    @Test
    void killingRandomWorkersLosesNoTaskAndChangesNoByte() throws Exception {
        Path out = dir.resolve("chaos");
        Path log = dir.resolve("log.txt");
        Process coordinator = Coordinator.start(dir, log, Argv.with(SWEEP, "--out", out.toString()));
        Random random = new Random(42);
        int[] kills = {0};
        long[] batchesSeen = {0};
        // a kill each time another batch is written: the job makes progress between kills, as in a
        // real run where workers die now and then
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(300)).pollInterval(java.time.Duration.ofMillis(50)).until(() -> {
            long batches = Files.readAllLines(log).stream().filter(l -> l.matches(".*label_para_\\d+\\.npy")).count();
            if (batches > batchesSeen[0]) {
                batchesSeen[0] = batches;
                List<ProcessHandle> workers = Coordinator.workers(coordinator.toHandle());
                if (!workers.isEmpty() && coordinator.isAlive()) {
                    Signals.send("KILL", workers.get(random.nextInt(workers.size())).pid());
                    kills[0]++;
                }
            }
            return !coordinator.isAlive() || kills[0] >= 8;
        });
        assertThat(coordinator.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(log);
        assertThat(coordinator.exitValue()).as(text).isZero();
        assertThat(kills[0]).as("workers killed during the sweep").isGreaterThanOrEqualTo(3);
        assertThat(text).contains("starting a new one in its place");

        Path reference = dir.resolve("reference");
        Cli.Result undisturbed = Cli.run(Argv.with(SWEEP, "--out", reference.toString()));
        assertThat(undisturbed.exitCode()).as(undisturbed.toString()).isZero();
        Folders.assertSameNpyFiles(out, reference);
    }

}
