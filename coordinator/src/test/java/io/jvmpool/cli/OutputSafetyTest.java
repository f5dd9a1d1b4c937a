package io.jvmpool.cli;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Argv;
import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Folders;
import io.jvmpool.testing.Numpy;
import java.time.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output folder is the job's alone: locked, never written through a symlink, and whole after a full disk. */
@io.jvmpool.testing.Slow
class OutputSafetyTest {
    @TempDir
    Path dir;

    @Test
    void aSecondJobOnTheSameFolderIsRefusedAndTheFirstFinishesIntact() throws Exception {
        Path out = dir.resolve("two");
        String[] first = {"--task", "burn", "--args", "200", "--batches", "6", "--batch-size", "10", "--workers", "2", "-q",
            "--out", out.toString()};
        Path log = dir.resolve("first.log");
        Process coordinator = Coordinator.start(dir, log, first);
        try {
            awaitFile(out.resolve(".jvmpool.lock"), coordinator);
            Cli.Result second = Cli.run("--task", "burn", "--args", "60", "--batches", "6", "--batch-size", "10", "--workers", "2",
                    "-q", "--out", out.toString());
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(2);
            assertThat(second.err().lines().count()).isEqualTo(1);
            assertThat(second.err()).contains("in use by another jvmpool job (pid " + coordinator.pid() + " on ");
            assertThat(coordinator.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(coordinator.exitValue()).as(Files.readString(log)).isZero();
        } finally {
            coordinator.destroyForcibly();
        }
        assertThat(out.resolve(".jvmpool.lock")).as("released at the end").doesNotExist();
        Cli.Result resumed = Cli.run(Argv.with(first, "--resume"));
        assertThat(resumed.err()).as("every batch's checksum matches its file").contains("every batch is already written");
        assertThat(Numpy.run("import numpy as np, sys; print(sorted(set(np.load(sys.argv[1] + '/feature_para_0.npy').tolist())))",
                out.toString())).isEqualTo("[200.0]");
    }

    @Test
    void aLockLeftByADeadJobIsTakenOver() throws IOException {
        Path out = Files.createDirectories(dir.resolve("stale"));
        Files.writeString(out.resolve(".jvmpool.lock"), "pid 999999 on elsewhere 00000000-0000-0000-0000-000000000000");
        Cli.Result r = Cli.run("-P", "loop=10", "--out", out.toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Folders.npyFiles(out)).hasSize(6);
        assertThat(out.resolve(".jvmpool.lock")).doesNotExist();
    }

    @Test
    void plantedSymlinksNeverLeadWritesOutOfTheFolder() throws IOException {
        Path out = Files.createDirectories(dir.resolve("sym"));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        List<Path> victims = new ArrayList<>();
        for (String planted : List.of(".label_para_0.npy.tmp", ".run.json.tmp", ".jvmpool-manifest.json.tmp",
                ".feature_para_1.npy.0123456789abcdef.tmp")) {
            Path victim = Files.writeString(elsewhere.resolve("victim" + victims.size()), "precious");
            victims.add(victim);
            Files.createSymbolicLink(out.resolve(planted), victim);
        }
        Cli.Result r = Cli.run("-P", "loop=10", "--out", out.toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("removed .label_para_0.npy.tmp, left by a run that did not finish");
        for (Path victim : victims) {
            assertThat(victim).hasContent("precious");
        }
        for (String name : Folders.npyFiles(out)) {
            assertThat(Files.isSymbolicLink(out.resolve(name))).as(name).isFalse();
            assertThat(Files.isRegularFile(out.resolve(name), LinkOption.NOFOLLOW_LINKS)).isTrue();
        }
        assertThat(Folders.npyFiles(out)).hasSize(6);
        Folders.assertNoTemporaryFiles(out);
    }

    @Test
    void aFullDiskAtAnyMomentLeavesWholeListedBatchesAndResumeFinishes() throws Exception {
        Path tiny = Files.createDirectories(dir.resolve("tiny"));
        mountTmpfs(tiny, "2052k");
        try {
            String[] job = {"--task", "array", "--args", "1", "--batch-size", "2", "--batches", "2", "--outputs", "a", "-q",
                "--out", tiny.toString()};
            Cli.Result full = Cli.run(job);
            assertThat(full.exitCode()).as(full.toString()).isEqualTo(1);
            assertThat(full.err()).contains("No space left on device")
                    .containsPattern("jvmpool: \\d of 2 batches were written to .* run the same command with --resume");
            assertThat(full.err()).doesNotContain("Exception");
            Folders.assertNoTemporaryFiles(tiny);
            assertThat(tiny.resolve(".jvmpool.lock")).doesNotExist();

            run("mount", "-o", "remount,size=16m", tiny.toString());
            Cli.Result resumed = Cli.run(Argv.with(job, "--resume"));
            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
            assertThat(Numpy.run("import numpy as np, sys\n"
                    + "a = [np.load(sys.argv[1] + '/a_para_%d.npy' % b) for b in (0, 1)]\n"
                    + "print([x.shape for x in a], [sorted(set(x[:, 0].tolist())) for x in a])", tiny.toString()))
                    .isEqualTo("[(2, 262144), (2, 262144)] [[0.0, 1.0], [2.0, 3.0]]");
            Folders.assertNoTemporaryFiles(tiny);
        } finally {
            run("umount", tiny.toString());
        }
    }

    private static void awaitFile(Path file, Process owner) throws InterruptedException {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(file) && size(file) > 0 || !owner.isAlive());
        assertThat(file).exists();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** A small tmpfs to fill up; root only (CI runs as root). */
    private static void mountTmpfs(Path where, String size) throws Exception {
        io.jvmpool.testing.Need.ROOT.require();
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", where.toString());
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + said).isZero();
    }
}
