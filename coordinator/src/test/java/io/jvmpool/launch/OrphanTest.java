package io.jvmpool.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Signals;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of the coordinator leaves no worker behind: each exits by itself when its stdin closes. */
class OrphanTest {
    @TempDir
    Path dir;

    @Test
    void workersExitByThemselvesWhenTheCoordinatorIsKilled() throws Exception {
        Process coordinator = Coordinator.start(dir, dir.resolve("log.txt"), "--task", "burn", "--args", "5000",
                "--batches", "1", "--batch-size", "4", "--workers", "2", "--out", dir.resolve("out").toString());
        List<Long> workers = Coordinator.awaitWorkers(coordinator.toHandle(), 2).stream().map(ProcessHandle::pid).toList();
        Coordinator.awaitBusy(Coordinator.awaitAddress(dir.resolve("log.txt")), 2); // connected, with their tasks
        Signals.send("KILL", coordinator.pid());
        long goneMillis = Signals.millisUntilGone(workers, 10_000);
        System.out.printf("kill -9 of the coordinator: last worker gone after %d ms%n", goneMillis);
        assertThat(goneMillis).as("ms until every orphan is gone (promise: 2000)").isBetween(0L, 2000L);
    }
}
