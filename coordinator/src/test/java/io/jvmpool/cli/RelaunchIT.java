package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Folders;
import io.jvmpool.testing.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code java -jar jvmpool.jar} runs the job in a second JVM with the coordinator's class data
 * archive: the same files, stdout, exit codes and signals as without it, and no orphan when the
 * first JVM is killed.
 */
class RelaunchIT {
    private static final Path JAR = Path.of(System.getProperty("jvmpool.jar"));
    private static final String[] LONG_JOB = {"--task", "burn", "--args", "300", "--batches", "4", "--batch-size", "10", "--workers", "2"};

    @TempDir
    Path dir;

    private ProcessBuilder jar(boolean relaunch, String... argv) {
        List<String> command = new ArrayList<>(List.of(Coordinator.java(), "-jar", JAR.toString()));
        command.addAll(List.of(argv));
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile());
        b.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        b.environment().put("JVMPOOL_RELAUNCH", relaunch ? "1" : "0");
        return b;
    }

    private record Run(int code, String out, String err) {
    }

    private Run run(boolean relaunch, String... argv) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = jar(relaunch, argv).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void theRelaunchedJobWritesTheSameFilesAndSaysTheSame() throws Exception {
        Run first = run(true, "-P", "loop=1000", "-q", "--out", "a");
        assertThat(first.code()).as(first.err()).isZero();
        try (var archives = Files.list(dir.resolve("cache/jvmpool/cds"))) {
            assertThat(archives.map(p -> p.getFileName().toString())).as("the first run made the coordinator's archive")
                    .anyMatch(n -> n.startsWith("coordinator-") && !n.endsWith(".tmp"));
        }
        Run second = run(true, "-P", "loop=1000", "-q", "--out", "b");
        Run plain = run(false, "-P", "loop=1000", "-q", "--out", "c");
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(second.out().lines().map(l -> l.replace("b/", "")).sorted().toList())
                .isEqualTo(plain.out().lines().map(l -> l.replace("c/", "")).sorted().toList());
        Folders.assertSameNpyFiles(dir.resolve("b"), dir.resolve("c"));
        Run usage = run(true, "--batches", "0", "--out", "d");
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err().strip()).isEqualTo("jvmpool: --batches must be a positive number, got 0");
    }

    @ParameterizedTest
    @CsvSource({"INT, 130", "TERM, 143"})
    void aSignalToTheFirstJvmEndsTheJobWithItsExitCode(String signal, int code) throws Exception {
        run(true, "-P", "loop=1000", "-q", "--out", "warm"); // makes the archive
        Path err = dir.resolve("err.txt");
        Process launcher = jar(true, withOut(LONG_JOB, "job")).redirectError(err.toFile()).redirectOutput(dir.resolve("out.txt").toFile()).start();
        ProcessHandle coordinator = awaitCoordinator(launcher);
        List<Long> workers = awaitWorkers(coordinator);
        assertThat(comm(launcher.toHandle())).as("in top").isEqualTo("jvmpool-launch");
        assertThat(comm(coordinator)).as("in top").isEqualTo("jvmpool-coord");
        Signals.send(signal, launcher.pid());
        assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(launcher.exitValue()).as(Files.readString(err)).isEqualTo(code);
        assertThat(Files.readString(err)).contains("jvmpool: interrupted:");
        assertThat(Signals.millisUntilGone(workers, 10_000)).as("workers gone").isNotNegative();
        if (Files.isDirectory(dir.resolve("job"))) { // a job interrupted before its first batch leaves no folder
            Folders.assertNoTemporaryFiles(dir.resolve("job"));
        }
    }

    @Test
    void killingTheFirstJvmEndsTheCoordinatorAndItsWorkers() throws Exception {
        run(true, "-P", "loop=1000", "-q", "--out", "warm");
        Process launcher = jar(true, withOut(LONG_JOB, "job")).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        ProcessHandle coordinator = awaitCoordinator(launcher);
        List<Long> processes = new ArrayList<>(awaitWorkers(coordinator));
        processes.add(coordinator.pid());
        Signals.send("KILL", launcher.pid());
        long gone = Signals.millisUntilGone(processes, 10_000);
        assertThat(gone).as("the coordinator and its workers end without the first JVM").isNotNegative();
        System.out.printf("kill -9 of the first JVM: coordinator and workers gone after %d ms%n", gone);
    }

    private static String[] withOut(String[] job, String out) {
        List<String> argv = new ArrayList<>(List.of(job));
        argv.addAll(List.of("-q", "--out", out));
        return argv.toArray(String[]::new);
    }

    private static ProcessHandle awaitCoordinator(Process launcher) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> launcher.toHandle().children()
                .filter(c -> Coordinator.arguments(c).contains("-Djvmpool.relaunched=true")).findFirst().orElse(null), c -> c != null);
    }

    private static List<Long> awaitWorkers(ProcessHandle coordinator) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> Coordinator.workers(coordinator).stream().map(ProcessHandle::pid).toList(),
                w -> w.size() == 2);
    }

    private static String comm(ProcessHandle p) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(p.pid()), "comm")).strip();
    }
}
