package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.RemoteWorkers;
import io.jvmpool.testing.Numpy;
import io.jvmpool.testtasks.ShapesTask;
import io.jvmpool.testtasks.ShuffledTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole jobs through the command line, with real worker JVMs, checked with numpy. */
class JobEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void seedJobWritesTheSeedsArraysWithPythonsValues() {
        Path out = dir.resolve("trainset");
        Cli.Result r = Cli.run("-P", "loop=1000", "--workers", "2", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().lines()).hasSize(6).allMatch(line -> line.endsWith(".npy"));
        String check = Numpy.run("""
                import sys, os, numpy as np
                out = sys.argv[1]
                expected = {'label': np.float32(1 * sum(t * t for t in range(1000))), 'feature': np.float32(2), 'maybeother': np.float32(7)}
                for b in range(2):
                    for name, value in expected.items():
                        a = np.load(os.path.join(out, '%s_para_%d.npy' % (name, b)))
                        assert a.dtype == np.float32, a.dtype
                        assert a.shape == (10,), a.shape
                        assert (a == value).all(), (name, a, value)
                print('ok')
                """, out.toString());
        assertThat(check).isEqualTo("ok");
    }

    @Test
    void workersDialTheAdvertisedNameThatTheAddressFileAndTheFirstLineGive() throws Exception {
        Path addressFile = dir.resolve("address");
        Path log = dir.resolve("coordinator.txt");
        Process coordinator = Coordinator.start(dir, log, "-P", "loop=1000", "--workers", "0", "--min-workers", "1",
                "--listen", "0.0.0.0:0", "--token", "advertised", "--advertise", "localhost", "--address-file", addressFile.toString(),
                "--out", dir.resolve("out").toString());
        Process worker = null;
        try {
            String address = Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(addressFile) ? Files.readString(addressFile).strip() : "", a -> !a.isEmpty());
            assertThat(address).matches("localhost:\\d+");
            worker = RemoteWorkers.start(dir.resolve("worker.txt"), "--coordinator", address, "--token", "advertised");
            assertThat(coordinator.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String said = Files.readString(log);
            assertThat(coordinator.exitValue()).as(said).isZero();
            assertThat(said.lines().findFirst().orElse("")).startsWith("jvmpool: waiting for workers to dial " + address + ";");
        } finally {
            coordinator.destroyForcibly();
            if (worker != null) {
                worker.destroyForcibly().waitFor();
            }
        }
        assertThat(dir.resolve("out/label_para_1.npy")).exists();
    }

    @Test
    void seedLabelForTheDefaultLoopEqualsNumpysFloat32() {
        Path out = dir.resolve("big");
        Cli.Result r = Cli.run("--batches", "1", "--batch-size", "2", "--workers", "1", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String check = Numpy.run("""
                import sys, numpy as np
                a = np.load(sys.argv[1])
                assert (a == np.float32(333333283333335000000)).all(), a
                assert a[0] == np.array([sum(t * t for t in range(10_000_000))], dtype='float32')[0]
                print('ok')
                """, out.resolve("label_para_0.npy").toString());
        assertThat(check).isEqualTo("ok");
    }

    @Test
    void outputsOfArrayShapeStackIntoBatchArrays() {
        Path out = dir.resolve("shapes");
        Cli.Result r = Cli.run("--task", ShapesTask.class.getName(), "--outputs", "s,v,m", "--dtype", "float64",
                "--batches", "3", "--batch-size", "4", "--workers", "2", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String check = Numpy.run("""
                import sys, os, numpy as np
                out = sys.argv[1]
                for b in range(3):
                    s = np.load(os.path.join(out, 's_para_%d.npy' % b))
                    v = np.load(os.path.join(out, 'v_para_%d.npy' % b))
                    m = np.load(os.path.join(out, 'm_para_%d.npy' % b))
                    assert s.shape == (4,) and v.shape == (4, 3) and m.shape == (4, 2, 2), (s.shape, v.shape, m.shape)
                    assert s.dtype == v.dtype == m.dtype == np.float64
                    for i in range(4):
                        g = b * 4 + i
                        assert s[i] == g and list(v[i]) == [g, g + 0.5, -g] and m[i].tolist() == [[g, 1], [2, 3]], (b, i)
                print('ok')
                """, out.toString());
        assertThat(check).isEqualTo("ok");
    }

    @Test
    void rowIIsTaskIEvenWhenResultsArriveOutOfOrder() {
        Path out = dir.resolve("order");
        Cli.Result r = Cli.run("--task", ShuffledTask.class.getName(), "--args", "5", "--dtype", "int64",
                "--batches", "3", "--batch-size", "16", "--workers", "2", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String check = Numpy.run("""
                import sys, os, numpy as np
                out = sys.argv[1]
                for b in range(3):
                    label = np.load(os.path.join(out, 'label_para_%d.npy' % b))
                    feature = np.load(os.path.join(out, 'feature_para_%d.npy' % b))
                    assert label.tolist() == list(range(b * 16, b * 16 + 16)), label
                    assert feature.tolist() == [2 * i for i in range(b * 16, b * 16 + 16)], feature
                print('ok')
                """, out.toString());
        assertThat(check).isEqualTo("ok");
    }

    @Test
    void argsFileRowsAreSplitIntoBatches() throws IOException {
        Path args = dir.resolve("args.csv");
        StringBuilder csv = new StringBuilder("p1,p2,p3,p4\n");
        for (int i = 0; i < 25; i++) {
            csv.append(i).append(',').append(i * 0.5).append(",1,").append(-i).append('\n');
        }
        Files.writeString(args, csv);
        Path out = dir.resolve("rows");
        Cli.Result r = Cli.run("--task", "trivial", "--args-file", args.toString(), "--batch-size", "10",
                "--dtype", "float64", "--workers", "2", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String check = Numpy.run("""
                import sys, os, numpy as np
                out = sys.argv[1]
                sizes = [10, 10, 5]
                for b, n in enumerate(sizes):
                    label = np.load(os.path.join(out, 'label_para_%d.npy' % b))
                    feature = np.load(os.path.join(out, 'feature_para_%d.npy' % b))
                    other = np.load(os.path.join(out, 'maybeother_para_%d.npy' % b))
                    rows = range(b * 10, b * 10 + n)
                    assert label.tolist() == list(rows), label
                    assert feature.tolist() == [i * 0.5 for i in rows], feature
                    assert other.tolist() == [1 - i for i in rows], other
                assert not os.path.exists(os.path.join(out, 'label_para_3.npy'))
                print('ok')
                """, out.toString());
        assertThat(check).isEqualTo("ok");
    }
}
