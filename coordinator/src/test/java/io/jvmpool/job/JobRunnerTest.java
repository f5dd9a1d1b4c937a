package io.jvmpool.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvmpool.args.ArgTable;
import io.jvmpool.pool.PoolOptions;
import io.jvmpool.testing.Folders;
import io.jvmpool.testing.Numpy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job library as a Java program uses it: what the command line does, without the command line. */
class JobRunnerTest {
    @TempDir
    Path dir;
    /** Not there yet: the job makes it. */
    private Path out;

    @org.junit.jupiter.api.BeforeEach
    void outputFolder() {
        out = dir.resolve("trainset");
    }

    private JobSpec seedJob() {
        return JobSpec.of(new PoolOptions().task("seed").property("loop", "1000").workers(2),
                ArgTable.constant(List.of(1, 2, 3, 4), 20), 10, List.of("label", "feature", "maybeother"), out);
    }

    @Test
    void writesTheBatchesTheManifestAndTheReportAndResumesInTheApisWords() throws Exception {
        // the address a coordinator killed with kill -9 left behind (no pid is this high): removed by the next one
        Files.createDirectories(CoordinatorRegistry.folder());
        Path stale = Files.writeString(CoordinatorRegistry.folder().resolve("4194305.address"), "127.0.0.1:1");
        List<Integer> batches = new ArrayList<>();
        JobResult done = new JobRunner(seedJob(), new JobListener() {
            @Override
            public void batchWritten(int batch, List<Path> files) {
                batches.add(batch);
            }
        }).run();
        assertThat(done.tasksComputed()).isEqualTo(20);
        assertThat(stale).doesNotExist();
        assertThat(batches).containsExactlyInAnyOrder(0, 1);
        assertThat(Folders.npyFiles(out)).containsExactly("feature_para_0.npy", "feature_para_1.npy", "label_para_0.npy",
                "label_para_1.npy", "maybeother_para_0.npy", "maybeother_para_1.npy");
        assertThat(Numpy.run("import numpy as np, sys; a = np.load(sys.argv[1]); print(a.shape, a.dtype)",
                out.resolve("feature_para_1.npy").toString()).strip()).isEqualTo("(10,) float32");
        assertThat(done.report()).exists();
        assertThat(out.resolve("jvmpool-manifest.json")).exists();

        assertThatThrownBy(() -> new JobRunner(seedJob(), new JobListener() { }).run())
                .isInstanceOf(JobSetupException.class)
                .hasMessageContaining("JobSpec.resuming()").hasMessageContaining("JobSpec.overwriting()")
                .hasMessageNotContaining("--");
        List<String> notices = new ArrayList<>();
        JobResult again = new JobRunner(seedJob().resuming(), new JobListener() {
            @Override
            public void notice(String message) {
                notices.add(message);
            }
        }).run();
        assertThat(again.tasksComputed()).isZero();
        assertThat(notices).contains("nothing to do: every batch is already written");
    }

    @Test
    void aJobThatFailsSaysHowManyBatchesAreWholeAndTheFolderKeepsNoTemporaryFile() throws Exception {
        JobSpec failing = JobSpec.of(new PoolOptions().task("io.jvmpool.testtasks.ThrowingTask").workers(2),
                ArgTable.constant(List.of(0.5), 14), 3, List.of("index", "value"), out);
        int[] written = {-1};
        assertThatThrownBy(() -> new JobRunner(failing, new JobListener() { }).run())
                .isInstanceOfSatisfying(JobFailure.class, e -> {
                    assertThat(e.getMessage()).containsPattern("task (3|10) \\(0.5,\\) failed");
                    assertThat(e.batchesWritten()).isBetween(0, 4);
                    assertThat(e.batches()).isEqualTo(5);
                    written[0] = e.batchesWritten();
                });
        if (written[0] == 0) { // task 3 failed before batch 0 was in place: the folder is as it was, none
            assertThat(out).doesNotExist();
            return;
        }
        Folders.assertNoTemporaryFiles(out);
        assertThat(Files.readString(out.resolve("run.json"))).contains("\"outcome\": \"failed\"");
    }

    @Test
    void badOptionsAreNamedAsTheApiNamesThem() {
        assertThatThrownBy(() -> JobSpec.of(new PoolOptions(), ArgTable.constant(List.of(1), 2), 1, List.of("a", "a"), out))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("outputs names must differ: a,a");
    }
}
