package io.jvmpool.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Folders;
import io.jvmpool.testing.Numpy;
import io.jvmpool.testing.RemoteWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows go straight into the batch's file: a batch larger than the coordinator's whole heap is written whole. */
class LargeBatchTest {
    @TempDir
    Path dir;

    @Test
    void aBatchLargerThanTheCoordinatorsHeapIsWritten() throws Exception {
        Path out = dir.resolve("out");
        Path log = dir.resolve("log.txt");
        // 150 rows of 1 MiB: a 150 MiB batch, for a coordinator with a 64 MiB heap
        Process coordinator = Coordinator.start(dir, log, List.of("-Xmx64m"), "--task", "array", "--args", "1",
                "--batch-size", "150", "--batches", "1", "--outputs", "a", "--workers", "2", "-q", "--out", out.toString());
        assertThat(coordinator.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(coordinator.exitValue()).as(Files.readString(log)).isZero();
        assertThat(Numpy.run("import numpy as np, sys\n"
                + "a = np.load(sys.argv[1], mmap_mode='r')\n"
                + "print(a.shape, a.dtype, all(a[i, 0] == i and a[i, -1] == i for i in range(a.shape[0])))",
                out.resolve("a_para_0.npy").toString())).isEqualTo("(150, 262144) float32 True");
        Folders.assertNoTemporaryFiles(out);
    }

    @Test
    void aBatchLargerThanTheCoordinatorsHeapComesWholeOverGrpc() throws Exception {
        // a worker that dials in sends its rows: 150 messages' worth through the coordinator's few reused buffers
        Path out = dir.resolve("out");
        Path log = dir.resolve("log.txt");
        int port = RemoteWorkers.freePort();
        Process worker = RemoteWorkers.start(dir.resolve("worker.txt"), "--coordinator", "127.0.0.1:" + port, "--connect-timeout", "120");
        try {
            Process coordinator = Coordinator.start(dir, log, List.of("-Xmx64m"), "--task", "array", "--args", "1",
                    "--batch-size", "150", "--batches", "1", "--outputs", "a", "--workers", "0", "--min-workers", "1",
                    "--listen", "127.0.0.1:" + port, "-q", "--out", out.toString());
            assertThat(coordinator.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(coordinator.exitValue()).as(Files.readString(log)).isZero();
        } finally {
            worker.destroyForcibly();
        }
        assertThat(Numpy.run("import numpy as np, sys\n"
                + "a = np.load(sys.argv[1], mmap_mode='r')\n"
                + "print(a.shape, a.dtype, all((a[i] == i).all() for i in range(a.shape[0])))",
                out.resolve("a_para_0.npy").toString())).isEqualTo("(150, 262144) float32 True");
        Folders.assertNoTemporaryFiles(out);
    }
}
