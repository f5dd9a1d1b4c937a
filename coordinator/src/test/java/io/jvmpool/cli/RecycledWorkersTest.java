package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Numpy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --max-tasks-per-worker: every N tasks a worker is replaced by a fresh JVM of the same index. */
class RecycledWorkersTest {
    @TempDir
    Path dir;

    @Test
    void everyWorkerProcessRunsExactlyNTasksAndTheFilesAreRight() throws Exception {
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("--task", "io.jvmpool.testtasks.PidTask", "--args", "", "--batches", "3", "--batch-size", "4",
                "--workers", "2", "--max-tasks-per-worker", "3", "-q", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Numpy.run("""
                import sys, os, numpy as np
                out = sys.argv[1]
                pids = np.concatenate([np.load(os.path.join(out, 'pid_para_%d.npy' % b)) for b in range(3)])
                index = np.concatenate([np.load(os.path.join(out, 'index_para_%d.npy' % b)) for b in range(3)])
                assert (index == np.arange(12)).all()
                counts = np.unique(pids, return_counts=True)[1]
                print(len(counts), max(counts))
                """, out.toString())).as("worker processes (at least 12 / 3), and the most tasks one ran").matches("([4-9]|1[0-2]) 3");
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        assertThat(report.getAsJsonObject("totals").get("workers_recycled").getAsInt()).isBetween(2, 10);
        for (var w : report.getAsJsonArray("workers")) {
            assertThat(w.getAsJsonObject().get("restarts").getAsInt()).as("a recycle is not a restart").isZero();
            assertThat(w.getAsJsonObject().get("recycled").getAsInt()).isPositive();
        }
    }
}
