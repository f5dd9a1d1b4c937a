package io.jvmpool.cli;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Argv;
import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Folders;
import io.jvmpool.testing.Signals;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C or SIGTERM mid-job: workers gone at once, whole batches only, and --resume finishes the job. */
@io.jvmpool.testing.Slow
class InterruptTest {
    private static final String[] JOB = {"--task", "burn", "--args", "100", "--batches", "6", "--batch-size", "4", "--workers", "2"};

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"INT, 130", "TERM, 143"})
    void signalEndsWorkersKeepsWholeBatchesAndResumeFinishes(String signal, int exitCode) throws Exception {
        Path out = dir.resolve("out");
        Path log = dir.resolve("log.txt");
        Process coordinator = Coordinator.start(dir, log, args(out));
        // wait for the first batch on disk, then interrupt
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(out.resolve("label_para_0.npy")));
        List<Long> workers = Coordinator.workers(coordinator.toHandle()).stream().map(ProcessHandle::pid).toList();
        assertThat(workers).hasSize(2);
        long sent = System.nanoTime();
        Signals.send(signal, coordinator.pid());
        long goneMillis = Signals.millisUntilGone(workers, 5000);
        assertThat(coordinator.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        System.out.printf("SIG%s: workers gone after %d ms, coordinator exited after %d ms%n", signal, goneMillis, exitMillis);
        assertThat(coordinator.exitValue()).as(Files.readString(log)).isEqualTo(exitCode);
        assertThat(goneMillis).as("ms until every worker is gone (promise: 1000)").isBetween(0L, 1000L);
        assertThat(Files.readString(log)).contains("interrupted:").contains("--resume");

        List<String> files = Folders.npyFiles(out);
        assertThat(files).isNotEmpty();
        assertThat(files.size() % 3).as("whole batches only: " + files).isZero();
        assertThat(files.size()).isLessThan(18);
        Folders.assertNoTemporaryFiles(out);

        Cli.Result again = Cli.run(args(out));
        assertThat(again.exitCode()).as("without --resume the results are not overwritten").isEqualTo(2);
        assertThat(again.err()).contains("already holds results").contains("--resume");

        Cli.Result resumed = Cli.run(Argv.with(args(out), "--resume"));
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.err()).contains("resuming: " + files.size() / 3 + " of 6 batches");
        Path reference = dir.resolve("reference");
        assertThat(Cli.run(args(reference)).exitCode()).isZero();
        Folders.assertSameNpyFiles(out, reference);
    }

    private static String[] args(Path out) {
        return Argv.with(JOB, "--out", out.toString());
    }

}
