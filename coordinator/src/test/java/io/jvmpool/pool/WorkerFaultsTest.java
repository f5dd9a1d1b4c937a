package io.jvmpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Folders;
import io.jvmpool.testing.Numpy;
import io.jvmpool.testtasks.ExitTask;
import io.jvmpool.testtasks.HaltInSetupTask;
import io.jvmpool.testtasks.HangOnceTask;
import io.jvmpool.testtasks.ThrowingTask;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tasks that kill, hang or throw, with real worker JVMs. */
@io.jvmpool.testing.Slow
class WorkerFaultsTest {
    @TempDir
    Path dir;

    @Test
    void aTaskThatKeepsKillingItsWorkerFailsTheJobAfterMaxAttempts() {
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("--task", ExitTask.class.getName(), "--args", "5", "--outputs", "i", "--batches", "2",
                "--batch-size", "10", "--workers", "2", "--max-attempts", "3", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("job failed: task 5 (5,) took its worker down 3 times").contains("exited with code 7");
        assertThat(out.resolve("i_para_0.npy")).doesNotExist();
    }

    @Test
    void workersThatDieAtStartEndTheJobInsteadOfLooping() {
        Cli.Result r = Cli.run("--task", HaltInSetupTask.class.getName(), "--outputs", "i", "--workers", "2",
                "--out", dir.resolve("out").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("worker JVMs in a row ended before any task finished").contains("exited with code 3");
    }

    @Test
    void aTaskThatThrowsFailsTheJobWithItsIndexArgumentsAndStackTrace() throws Exception {
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("--task", ThrowingTask.class.getName(), "--args", "2.5", "--outputs", "a,b", "--batches", "1",
                "--batch-size", "20", "--workers", "2", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).containsPattern("task (3|10|17) \\(2\\.5,\\) failed in worker w\\d")
                .contains("IllegalStateException: bad index")
                .contains("at io.jvmpool.testtasks.ThrowingTask.compute");
        assertThat(out).as("no batch was written: the folder the run made is gone again").doesNotExist();
    }

    @Test
    void onErrorSkipRecordsFailuresAndLeavesTheirRowsEmpty() {
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("--task", ThrowingTask.class.getName(), "--args", "2.5", "--outputs", "a,b", "--batches", "2",
                "--batch-size", "10", "--workers", "2", "--on-error", "skip", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path ints = dir.resolve("ints");
        Cli.Result r2 = Cli.run("--task", ThrowingTask.class.getName(), "--args", "2.5", "--outputs", "a,b", "--batches", "2",
                "--batch-size", "10", "--workers", "2", "--on-error", "skip", "--dtype", "int32", "--out", ints.toString());
        assertThat(r2.exitCode()).as(r2.toString()).isZero();
        String check = Numpy.run("""
                import sys, os, math, numpy as np
                out, ints = sys.argv[1], sys.argv[2]
                failed = [i for i in range(20) if i % 7 == 3]
                lines = open(os.path.join(out, 'errors.tsv')).read().splitlines()
                assert sorted(int(l.split('\\t')[0]) for l in lines) == failed, lines
                for l in lines:
                    index, args, message = l.split('\\t')
                    assert args == '(2.5,)' and message == 'IllegalStateException: bad index ' + index, l
                for b in range(2):
                    a = np.load(os.path.join(out, 'a_para_%d.npy' % b))
                    i32 = np.load(os.path.join(ints, 'a_para_%d.npy' % b))
                    for r in range(10):
                        g = b * 10 + r
                        if g in failed:
                            assert math.isnan(a[r]) and i32[r] == 0, (g, a[r], i32[r])
                        else:
                            assert a[r] == g and i32[r] == g
                print('ok')
                """, out.toString(), ints.toString());
        assertThat(check).isEqualTo("ok");
    }

    @Test
    void aTaskPastTheTimeoutIsAbandonedAndRetried() throws Exception {
        Path markers = Files.createDirectory(dir.resolve("markers"));
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("--task", HangOnceTask.class.getName(), "--args", "4", "-P", "markers=" + markers,
                "--outputs", "i", "--dtype", "int64", "--batches", "1", "--batch-size", "12", "--workers", "2",
                "--task-timeout", "1s", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("ran task 4 for longer than the task timeout");
        assertThat(Numpy.run("import sys, numpy as np; print(np.load(sys.argv[1]).tolist())", out.resolve("i_para_0.npy").toString()))
                .isEqualTo("[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]");
    }

    @Test
    void aTaskThatAlwaysTimesOutFailsTheJob() throws Exception {
        Path markers = Files.createDirectory(dir.resolve("markers"));
        Cli.Result r = Cli.run("--task", HangOnceTask.class.getName(), "--args", "1", "-P", "markers=" + markers,
                "-P", "hangs=5", "--outputs", "i", "--batches", "1", "--batch-size", "4", "--workers", "2",
                "--task-timeout", "500ms", "--max-attempts", "2", "--out", dir.resolve("out").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("task 1 (1,) ran past the task timeout 2 times");
    }

    @Test
    void outputsThatDontMatchTheTaskFailAtTheFirstResultEvenWhenSkipping() throws Exception {
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("-P", "loop=10", "--outputs", "a,b", "--on-error", "skip", "--workers", "1", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("set output #2 but the job has 2 outputs");
        assertThat(out).as("no batch, no errors.tsv, no folder").doesNotExist();
    }
}
