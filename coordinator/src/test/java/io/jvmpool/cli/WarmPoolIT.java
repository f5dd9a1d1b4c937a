package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Folders;
import io.jvmpool.testing.Need;
import io.jvmpool.testing.Numpy;
import io.jvmpool.testing.TaskJars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm pools as a user meets them, through {@code java -jar jvmpool.jar}: the same job gives the same
 * files and lines warm or cold, signals and kill -9 on either side, another user, the idle time, a
 * changed jar. Each test has its own runtime folder ({@code -Djava.io.tmpdir}), so that it sees only
 * the pools it started, and stops them all after.
 */
class WarmPoolIT {
    private static final Path JAR = Path.of(System.getProperty("jvmpool.jar")).toAbsolutePath();
    private static final String[] SEED = {"-P", "loop=1000"};
    /** 40 tasks of 150 ms on 2 workers: 3 s, long enough to be interrupted in the middle. */
    private static final String[] LONG = {"--task", "burn", "--args", "150", "--batches", "4", "--batch-size", "10"};

    @TempDir
    Path dir;
    private Path runtime;
    private Path jar = JAR;

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeEach
    void ownRuntimeFolder() throws IOException {
        runtime = Files.createDirectories(dir.resolve("runtime"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterEach
    void stopEveryPool() throws Exception {
        run(List.of(), "stop");
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            if (String.join(" ", Coordinator.arguments(p)).contains(runtime.toString())) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void aJobOnAWarmPoolGivesWhatItGivesColdAndRunsEachJobsTaskAfresh() throws Exception {
        Run cold = run("--out", "cold");
        Run first = run("--out", "first", "--keep-warm", "1m", "-v");
        Run warm = run("--out", "warm");
        for (Run r : List.of(cold, first, warm)) {
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        assertThat(first.err()).contains("started a warm pool");
        assertThat(warm.out().lines().sorted()).as("stdout, warm and cold (batches are said as they are done)")
                .containsExactlyElementsOf(cold.out().replace("cold/", "warm/").lines().sorted().toList());
        assertThat(shape(warm.err())).as("stderr, warm and cold, numbers aside").isEqualTo(shape(cold.err()).replace("cold", "warm"));
        assertThat(warm.err()).as("the summary's time is the client's wall time").containsPattern("done in 0\\.\\d\\d s");
        Folders.assertSameNpyFiles(dir.resolve("warm"), dir.resolve("cold"));
        assertThat(report("cold").get("warm_pool").getAsBoolean()).isFalse();
        assertThat(report("first").get("warm_pool").getAsBoolean()).as("its own first job").isFalse();
        assertThat(report("warm").get("warm_pool").getAsBoolean()).isTrue();
        assertThat(withoutOut(report("warm"))).as("the job, as run.json and the manifest describe it").isEqualTo(withoutOut(report("cold")));

        Run status = run(List.of(), "status");
        assertThat(status.out()).as(status.toString()).contains("warm pool pid").contains("2 workers").contains("idle since");

        // a pool of other settings is not this job's: it runs cold, and -v says why
        Run other = run("--out", "other", "--workers", "1", "-v");
        assertThat(other.exitCode()).as(other.toString()).isZero();
        assertThat(other.err()).contains("not on the warm pool").contains("workers 1 instead of the pool's 2");
        assertThat(report("other").get("warm_pool").getAsBoolean()).isFalse();

        // a task jar's static state does not outlive its job: both jobs count from 1
        Path counting = TaskJars.build(dir, "counting", "org.me.Counting", io.jvmpool.pool.RetaskTest.COUNTING);
        for (String out : List.of("count1", "count2")) {
            Run r = run("--task-jar", counting.toString(), "--task", "org.me.Counting", "--outputs", "calls:int64,pid:int64,v:float64",
                    "--batches", "1", "--batch-size", "6", "--workers", "2", "--out", out);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(report(out).get("warm_pool").getAsBoolean()).isTrue();
        }
        assertThat(Numpy.run("""
                import numpy as np, sys
                def fresh(f):  # in each worker of the job, the calls count 1, 2, ..., however the tasks were shared
                    calls, pids = (np.load(sys.argv[1] + '/%s/%s_para_0.npy' % (f, o)) for o in ('calls', 'pid'))
                    return all(sorted(calls[pids == p]) == list(range(1, (pids == p).sum() + 1)) for p in set(pids))
                a, b = (np.load(sys.argv[1] + '/%s/calls_para_0.npy' % f) for f in ('count1', 'count2'))
                print(a.min() == 1, b.min() == 1, fresh('count1') and fresh('count2'))
                """, dir.toString())).as("the static count starts again").isEqualTo("True True True");
        assertThat(pids("count2")).as("on the same worker JVMs").isEqualTo(pids("count1"));

        List<ProcessHandle> stopped = poolProcesses();
        assertThat(stopped).hasSizeGreaterThanOrEqualTo(3);
        Run stop = run(List.of(), "stop");
        assertThat(stop.out()).contains("stopped 1 warm pool");
        await().atMost(Duration.ofSeconds(20)).until(() -> stopped.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void signalsToTheClientStopTheJobAndLeaveThePoolUsable() throws Exception {
        assertThat(run("--out", "start", "--keep-warm", "1m").exitCode()).isZero();
        for (String[] signal : new String[][] {{"INT", "130"}, {"TERM", "143"}}) {
            String out = "sig" + signal[0];
            Process client = startJob(args(LONG, "--out", out));
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve(out + "/label_para_0.npy")));
            new ProcessBuilder("kill", "-" + signal[0], Long.toString(client.pid())).start().waitFor();
            assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String err = new String(client.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(client.exitValue()).as(err).isEqualTo(Integer.parseInt(signal[1]));
            assertThat(err).contains("interrupted:").contains("--resume");
            Folders.assertNoTemporaryFiles(dir.resolve(out));
            Run resumed = run(args(LONG, "--out", out, "--resume"));
            assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
            assertThat(report(out).get("warm_pool").getAsBoolean()).as("the pool took the next job").isTrue();
        }
        Run cold = run(args(LONG, "--out", "reference", "--workers", "1"));
        assertThat(cold.exitCode()).isZero();
        Folders.assertSameNpyFiles(dir.resolve("sigINT"), dir.resolve("reference"));
        Folders.assertSameNpyFiles(dir.resolve("sigTERM"), dir.resolve("reference"));
    }

    @Test
    void killNineOfTheClientCancelsItsJobAndOfThePoolEndsTheClientInOneLine() throws Exception {
        assertThat(run("--out", "start", "--keep-warm", "1m").exitCode()).isZero();
        Process client = startJob(args(LONG, "--out", "client9"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("client9/label_para_0.npy")));
        client.destroyForcibly().waitFor();
        // the pool notices the lost client and cancels its job; until then a new job would find it busy
        await("the pool cancels the job of its lost client").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> run(List.of(), "status").out().contains("idle since"));
        Run next = run("--out", "after-client9");
        assertThat(next.exitCode()).as(next.toString()).isZero();
        assertThat(report("after-client9").get("warm_pool").getAsBoolean()).as("the pool is free again").isTrue();
        Folders.assertNoTemporaryFiles(dir.resolve("client9"));
        assertThat(Folders.npyFiles(dir.resolve("client9")).size() % 3).as("whole batches only").isZero();

        client = startJob(args(LONG, "--out", "pool9"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("pool9/label_para_0.npy")));
        List<ProcessHandle> pool = poolProcesses();
        assertThat(pool).hasSizeGreaterThanOrEqualTo(3); // the pool and its 2 workers
        pool.stream().filter(p -> String.join(" ", Coordinator.arguments(p)).contains("WarmDaemon")).forEach(ProcessHandle::destroyForcibly);
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String err = new String(client.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(client.exitValue()).as(err).isEqualTo(1);
        assertThat(err.lines().filter(l -> l.contains("warm pool")).toList()).as(err).hasSize(1)
                .allMatch(l -> l.contains("ended before the job did") && l.contains("--resume"));
        await("no worker outlives its pool").atMost(Duration.ofSeconds(20)).until(() -> pool.stream().noneMatch(ProcessHandle::isAlive));
        Run resumed = run(args(LONG, "--out", "pool9", "--resume"));
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        Run reference = run(args(LONG, "--out", "reference"));
        Folders.assertSameNpyFiles(dir.resolve("pool9"), dir.resolve("reference"));
        assertThat(reference.exitCode()).isZero();
    }

    @Test
    void anotherUserCantReachThePoolAndRunsWithoutIt() throws Exception {
        Need.ROOT.require();
        assertThat(run("--out", "start", "--keep-warm", "1m").exitCode()).isZero();
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        command.addAll(jvm());
        command.addAll(List.of("-P", "loop=1000", "--out", theirs.resolve("out").toString(), "-v"));
        Process p = new ProcessBuilder(command).directory(theirs.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("theirs.log").toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(dir.resolve("theirs.log"));
        assertThat(p.exitValue()).as(said).isZero();
        JsonObject report = JsonParser.parseString(Files.readString(theirs.resolve("out/run.json"))).getAsJsonObject();
        assertThat(report.get("warm_pool").getAsBoolean()).as("not on root's pool").isFalse();
        Path folder = runtime.resolve("jvmpool-root/warm");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
    }

    @Test
    void thePoolEndsWhenIdleForItsTimeAndWhenItsJarChanges() throws Exception {
        jar = Files.copy(JAR, dir.resolve("jvmpool.jar"));
        assertThat(run("--out", "idle", "--keep-warm", "2s").exitCode()).isZero();
        assertThat(poolProcesses()).isNotEmpty();
        await("the pool ends after 2 s idle").atMost(Duration.ofSeconds(30)).until(() -> poolProcesses().isEmpty());
        assertThat(sockets()).isEmpty();

        assertThat(run("--out", "changed", "--keep-warm", "1m").exitCode()).isZero();
        assertThat(poolProcesses()).isNotEmpty();
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        await("the pool ends when its jar changes").atMost(Duration.ofSeconds(30)).until(() -> poolProcesses().isEmpty());
        assertThat(sockets()).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    private Run run(String... args) throws Exception {
        return run(List.of(args));
    }

    private Run run(List<String> args, String... more) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        if (all.stream().noneMatch(a -> a.equals("--out") || a.equals("status") || a.equals("stop"))) {
            throw new IllegalArgumentException("give each job its own --out");
        }
        if (all.size() > 0 && !all.get(0).equals("status") && !all.get(0).equals("stop") && all.stream().noneMatch(a -> a.equals("--task"))) {
            all.addAll(0, List.of(SEED));
        }
        Path out = dir.resolve("stdout-" + System.nanoTime() + ".txt");
        Path err = dir.resolve("stderr-" + System.nanoTime() + ".txt");
        List<String> command = new ArrayList<>(jvm());
        command.addAll(all);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("JVMPOOL_KEEP_WARM");
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Process startJob(String... args) throws IOException {
        return start(Map.of(), List.of(args));
    }

    private Process start(Map<String, String> env, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(jvm());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().remove("JVMPOOL_KEEP_WARM");
        pb.environment().putAll(env);
        return pb.start();
    }

    private List<String> jvm() {
        return List.of(Coordinator.java(), "-Djava.io.tmpdir=" + runtime, "-jar", jar.toString());
    }

    private static String[] args(String[] job, String... more) {
        List<String> all = new ArrayList<>(List.of(job));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private java.util.Set<Long> pids(String out) throws IOException {
        java.util.Set<Long> pids = new java.util.TreeSet<>();
        report(out).getAsJsonArray("workers").forEach(w -> pids.add(w.getAsJsonObject().get("pid").getAsLong()));
        return pids;
    }

    private JsonObject report(String out) throws IOException {
        return JsonParser.parseString(Files.readString(dir.resolve(out).resolve("run.json"))).getAsJsonObject();
    }

    /** A log's lines with every number (times, pids, ports, sizes) taken out, and the first run's note of its archives. */
    private static String shape(String log) {
        return log.lines().filter(l -> !l.startsWith("jvmpool: first run:")).map(l -> l.replaceAll("\\d+(\\.\\d+)?", "N").replaceAll(" +", " "))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private static JsonObject withoutOut(JsonObject report) {
        JsonObject job = report.getAsJsonObject("job").deepCopy();
        job.getAsJsonObject("flags").remove("out");
        return job;
    }

    /** The warm pools' JVMs (found by this test's runtime folder on their command lines) and their workers. */
    private List<ProcessHandle> poolProcesses() {
        List<ProcessHandle> found = new ArrayList<>();
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            String line = String.join(" ", Coordinator.arguments(p));
            if (line.contains(runtime.toString()) && line.contains("WarmDaemon")) {
                found.add(p);
                p.descendants().forEach(found::add);
            }
        }
        return found;
    }

    private List<Path> sockets() throws IOException {
        Path folder = runtime.resolve("jvmpool-root/warm");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".sock")).toList();
        }
    }
}
