package io.jvmpool.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Coordinator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's workers are its own child processes, as many as asked for, and none outlives it. */
class WorkerProcessesTest {
    @TempDir
    Path dir;

    @Test
    void twoWorkersAreTwoChildProcessesThatEndWithTheCoordinator() throws Exception {
        Path log = dir.resolve("log.txt");
        Process coordinator = Coordinator.start(dir, log, "--task", "burn", "--args", "400", "--batches", "1",
                "--batch-size", "8", "--workers", "2", "--out", dir.resolve("out").toString());
        Set<Long> seen = new HashSet<>();
        int[] most = {0};
        // sampled every 50 ms for the job's whole life
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(50)).until(() -> {
            List<ProcessHandle> workers = Coordinator.workers(coordinator.toHandle());
            most[0] = Math.max(most[0], workers.size());
            for (ProcessHandle w : workers) {
                seen.add(w.pid());
                assertThat(w.parent().map(ProcessHandle::pid)).contains(coordinator.pid());
                assertThat(Coordinator.argument(w, "--index")).hasValueSatisfying(i -> assertThat(i).isIn("0", "1"));
            }
            return !coordinator.isAlive();
        });
        assertThat(coordinator.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(coordinator.exitValue()).as(Files.readString(log)).isZero();
        assertThat(most[0]).as("worker processes at once").isEqualTo(2);
        assertThat(seen).as("no worker was replaced").hasSize(2);
        for (long pid : seen) {
            assertThat(io.jvmpool.testing.Signals.isRunning(pid)).as("worker " + pid + " still running").isFalse();
        }
    }
}
