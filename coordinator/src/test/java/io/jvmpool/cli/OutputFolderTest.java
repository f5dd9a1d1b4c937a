package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Folders;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results already in the output folder are never overwritten silently; --resume keeps only verified batches. */
class OutputFolderTest {
    private static final String[] JOB = {"--task", "burn", "--args", "1", "--batches", "3", "--batch-size", "5", "--workers", "1"};

    @TempDir
    Path dir;

    private Cli.Result run(Path out, String... more) {
        String[] args = new String[JOB.length + 2 + more.length];
        System.arraycopy(JOB, 0, args, 0, JOB.length);
        args[JOB.length] = "--out";
        args[JOB.length + 1] = out.toString();
        System.arraycopy(more, 0, args, JOB.length + 2, more.length);
        return Cli.run(args);
    }

    @Test
    void existingResultsAreKeptVerifiedOrReplacedOnlyWhenAskedTo() throws Exception {
        Path out = dir.resolve("out");
        Path reference = dir.resolve("reference");
        assertThat(run(reference).exitCode()).isZero();
        assertThat(run(out).exitCode()).isZero();

        Cli.Result again = run(out);
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("already holds results").contains("--resume").contains("--overwrite");

        Cli.Result nothingLeft = run(out, "--resume");
        assertThat(nothingLeft.exitCode()).as(nothingLeft.toString()).isZero();
        assertThat(nothingLeft.err()).contains("nothing to do");

        // a damaged file: its batch is computed again, the others are kept
        Files.write(out.resolve("feature_para_1.npy"), new byte[] {1, 2, 3});
        Cli.Result repaired = run(out, "--resume");
        assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
        assertThat(repaired.err()).contains("resuming: 2 of 3 batches");
        assertThat(repaired.out().lines()).containsExactlyInAnyOrder(
                out.resolve("label_para_1.npy").toString(), out.resolve("feature_para_1.npy").toString(),
                out.resolve("maybeother_para_1.npy").toString());
        Folders.assertSameNpyFiles(out, reference);

        Cli.Result otherJob = Cli.run("--task", "burn", "--args", "2", "--batches", "3", "--batch-size", "5", "--workers", "1",
                "--out", out.toString(), "--resume");
        assertThat(otherJob.exitCode()).isEqualTo(2);
        assertThat(otherJob.err()).contains("different job").contains("args");

        Cli.Result replaced = Cli.run("--task", "burn", "--args", "2", "--batches", "1", "--batch-size", "5", "--workers", "1",
                "--out", out.toString(), "--overwrite");
        assertThat(replaced.exitCode()).as(replaced.toString()).isZero();
        assertThat(Folders.npyFiles(out)).containsExactly("feature_para_0.npy", "label_para_0.npy", "maybeother_para_0.npy");
    }

    @Test
    void aRunThatWritesNoBatchLeavesTheFolderAsItFoundIt() throws Exception {
        String[] failing = {"--task", "io.jvmpool.testtasks.ThrowingTask", "--args", "2.5", "--outputs", "a,b", "--batches", "1",
            "--batch-size", "20", "--workers", "1"};
        Path fresh = dir.resolve("fresh");
        assertThat(Cli.run(io.jvmpool.testing.Argv.with(failing, "--out", fresh.toString())).exitCode()).isEqualTo(1);
        assertThat(fresh).as("a folder the run made goes again").doesNotExist();

        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "mine");
        assertThat(Cli.run(io.jvmpool.testing.Argv.with(failing, "--out", empty.toString())).exitCode()).isEqualTo(1);
        try (var files = Files.list(empty)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("as it was found").containsExactly("notes.txt");
        }

        Path results = dir.resolve("results");
        assertThat(run(results).exitCode()).isZero();
        String before = Files.readString(results.resolve("jvmpool-manifest.json"));
        assertThat(Cli.run(io.jvmpool.testing.Argv.with(failing, "--out", results.toString(), "--overwrite")).exitCode()).isEqualTo(1);
        assertThat(Files.readString(results.resolve("run.json"))).as("a folder that held results keeps the failure's report")
                .contains("\"outcome\": \"failed\"");
        assertThat(before).isNotEmpty();
    }
}
