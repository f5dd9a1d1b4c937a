package io.jvmpool.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jvmpool.testing.Argv;
import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Folders;
import io.jvmpool.testing.Numpy;
import io.jvmpool.testing.RemoteWorkers;
import io.jvmpool.testing.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers on the coordinator's machine write array rows into the batch files themselves; workers
 * elsewhere send them over gRPC. Both give the same bytes, and so does a run whose workers are
 * killed while they write.
 */
@io.jvmpool.testing.Slow
class WrittenInPlaceTest {
    /** 5 batches of 20 rows of 256 KiB: 5 MiB a batch, large enough to be written in place. */
    private static final String[] ARRAYS = {"--task", "array", "--args", "0.25", "--outputs", "a", "--batches", "5",
        "--batch-size", "20"};

    @TempDir
    Path dir;

    @Test
    void rowsWrittenInPlaceAndRowsSentOverGrpcGiveTheSameFiles() throws Exception {
        Path local = dir.resolve("local");
        Cli.Result inPlace = Cli.run(Argv.with(ARRAYS, "--workers", "2", "--out", local.toString()));
        assertThat(inPlace.exitCode()).as(inPlace.toString()).isZero();
        long written = tasksInPlace(local);
        assertThat(written).as("rows the local workers wrote themselves").isPositive();
        assertThat(written).as("the first result comes over gRPC: it fixes the shapes").isLessThan(100);

        // a worker that dials in is not the coordinator's own: its rows travel over gRPC
        Path remote = dir.resolve("remote");
        int port = RemoteWorkers.freePort();
        Process worker = RemoteWorkers.start(dir.resolve("worker.txt"), "--coordinator", "127.0.0.1:" + port, "--connect-timeout", "120");
        try {
            Cli.Result sent = Cli.run(Argv.with(ARRAYS, "--workers", "0", "--min-workers", "1", "--listen", "127.0.0.1:" + port,
                    "--out", remote.toString()));
            assertThat(sent.exitCode()).as(sent.toString()).isZero();
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("the worker exits when the job ends").isTrue();
        } finally {
            worker.destroyForcibly();
        }
        assertThat(tasksInPlace(remote)).as("rows written in place by a worker that dialed in").isZero();

        // a worker that dials in with the output folder as its --out (a container with the folder mounted)
        // writes in place; one given another folder can't find the job's probe there, and sends
        Path mounted = dir.resolve("mounted");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.createDirectories(mounted);
        assertThat(dialedIn(mounted, mounted)).as("rows written in place by a worker with the folder mounted").isPositive();
        Folders.assertSameNpyFiles(local, mounted);
        Path wrong = dir.resolve("wrong");
        assertThat(dialedIn(wrong, elsewhere)).as("rows written in place by a worker given another folder").isZero();
        assertThat(elsewhere).isEmptyDirectory();
        Folders.assertSameNpyFiles(local, wrong);
        assertThat(Files.list(mounted).map(f -> f.getFileName().toString())).as("the probe is gone with the job")
                .noneMatch(name -> name.contains("probe"));

        Folders.assertSameNpyFiles(local, remote);
        Folders.assertNoTemporaryFiles(local);
        assertThat(Numpy.run("""
                import numpy as np, sys
                rows = [np.load('%s/a_para_%%d.npy' %% b) for b in range(5)]
                a = np.concatenate(rows)
                print(a.shape, a.dtype, bool((a == np.arange(100, dtype='float32')[:, None]).all()))
                """.formatted(local))).isEqualTo("(100, 65536) float32 True");
    }

    @Test
    void workersKilledWhileTheyWriteRowsChangeNoByte() throws Exception {
        String[] job = {"--task", "array", "--args", "2", "--outputs", "a", "--batches", "6", "--batch-size", "20",
            "--workers", "2", "--max-attempts", "10"};
        Path out = dir.resolve("killed");
        Path log = dir.resolve("log.txt");
        Process coordinator = Coordinator.start(dir, log, Argv.with(job, "--out", out.toString()));
        Random random = new Random(7);
        int[] kills = {0};
        // at random moments while a batch file is being filled, with both workers up: one of them is likely writing its rows
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(300))
                .pollInterval(new org.awaitility.pollinterval.IterativePollInterval(d -> java.time.Duration.ofMillis(100 + random.nextInt(200))))
                .until(() -> {
                    List<ProcessHandle> workers = Coordinator.workers(coordinator.toHandle());
                    if (workers.size() == 2 && fillingABatch(out) && coordinator.isAlive()) {
                        Signals.send("KILL", workers.get(random.nextInt(2)).pid());
                        kills[0]++;
                    }
                    return !coordinator.isAlive() || kills[0] >= 3;
                });
        assertThat(coordinator.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(log);
        assertThat(coordinator.exitValue()).as(text).isZero();
        assertThat(kills[0]).as("workers killed during the job").isPositive();

        Path reference = dir.resolve("reference");
        Cli.Result undisturbed = Cli.run(Argv.with(job, "--out", reference.toString()));
        assertThat(undisturbed.exitCode()).as(undisturbed.toString()).isZero();
        assertThat(tasksInPlace(out) + tasksInPlace(reference)).isPositive();
        Folders.assertSameNpyFiles(out, reference);
        Folders.assertNoTemporaryFiles(out);
    }

    private static boolean fillingABatch(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return false;
        }
        try (var files = Files.list(out)) {
            return files.anyMatch(f -> f.getFileName().toString().matches("\\.a_para_\\d+\\.npy\\..*\\.tmp"));
        }
    }

    /** The job into {@code out}, on one worker that dials in with {@code --out folder}; its rows written in place. */
    private long dialedIn(Path out, Path folder) throws Exception {
        int port = RemoteWorkers.freePort();
        Process worker = RemoteWorkers.start(dir.resolve("worker-" + out.getFileName() + ".txt"), "--coordinator", "127.0.0.1:" + port,
                "--connect-timeout", "120", "--out", folder.toString());
        try {
            Cli.Result run = Cli.run(Argv.with(ARRAYS, "--workers", "0", "--min-workers", "1", "--listen", "127.0.0.1:" + port,
                    "--out", out.toString()));
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            worker.destroyForcibly();
        }
        return tasksInPlace(out);
    }

    private static long tasksInPlace(Path out) throws IOException {
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        return report.getAsJsonObject("totals").get("tasks_written_in_place").getAsLong();
    }

}
