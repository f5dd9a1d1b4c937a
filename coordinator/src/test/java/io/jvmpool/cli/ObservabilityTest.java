package io.jvmpool.cli;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.jvmpool.shared.Checksums;
import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Coordinator;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names in top and ps, `jvmpool status`, the health check and run.json, on a real CPU-bound job. */
@io.jvmpool.testing.Slow
class ObservabilityTest {
    private static final Pattern ADDRESS = Pattern.compile("workers dial (127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path dir;

    @Test
    void aRunningJobIsVisibleByNameByStatusByHealthAndInItsReport() throws Exception {
        Path out = dir.resolve("out");
        Path log = dir.resolve("log.txt");
        Process coordinator = Coordinator.start(dir, log, "--task", "burn", "--args", "700", "--batches", "2",
                "--batch-size", "6", "--workers", "2", "--out", out.toString());
        String address = Coordinator.awaitAddress(log);
        List<ProcessHandle> workers = Coordinator.awaitWorkers(coordinator.toHandle(), 2);

        assertThat(comm(coordinator.pid())).isEqualTo("jvmpool-coord");
        // a worker names itself early in its main, a moment after its process appears
        await("the workers name themselves").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(workers.stream().map(w -> comm(w.pid()))).containsExactlyInAnyOrder("jvmpool-w0", "jvmpool-w1"));
        for (ProcessHandle w : workers) {
            String index = comm(w.pid()).substring("jvmpool-w".length());
            assertThat(Coordinator.argument(w, "--index")).contains(index);
        }

        ManagedChannel channel = NettyChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService("").build());
            assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            channel.shutdownNow();
        }

        Coordinator.awaitBusy(address, 2);
        Cli.Result status = Cli.run("status", "--coordinator", address);
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("task burn").contains("/12");
        for (ProcessHandle w : workers) {
            assertThat(status.out()).containsPattern("w[01] +" + w.pid() + " ");
        }

        assertThat(coordinator.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(coordinator.exitValue()).as(Files.readString(log)).isZero();
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        assertThat(report.get("outcome").getAsString()).isEqualTo("done");
        assertThat(report.getAsJsonObject("job").get("task").getAsString()).isEqualTo("burn");
        JsonArray reported = report.getAsJsonArray("workers");
        assertThat(reported).hasSize(2);
        long tasks = 0;
        for (JsonElement e : reported) {
            JsonObject w = e.getAsJsonObject();
            assertThat(w.get("cpu_seconds").getAsDouble()).as("CPU seconds of a CPU-bound worker").isGreaterThan(0.5);
            tasks += w.get("tasks").getAsLong();
        }
        assertThat(tasks).isEqualTo(12);
        JsonArray batches = report.getAsJsonArray("batches");
        assertThat(batches).hasSize(2);
        for (JsonElement b : batches) {
            for (JsonElement f : b.getAsJsonObject().getAsJsonArray("files")) {
                JsonObject file = f.getAsJsonObject();
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                crc.update(Files.readAllBytes(out.resolve(file.get("name").getAsString())));
                assertThat(String.format("%08x", crc.getValue())).isEqualTo(file.get("crc32c").getAsString());
            }
        }
        assertThat(report.getAsJsonObject("totals").get("cpu_efficiency").getAsDouble()).isGreaterThan(0);
        assertThat(Files.readString(log)).contains("CPU efficiency");
    }

    @Test
    void statusWithoutAJobSaysSo() {
        Cli.Result r = Cli.run("status", "--coordinator", "127.0.0.1:1");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no answer from 127.0.0.1:1");
    }

    private static String awaitAddress(Path log) throws Exception {
        return await("the coordinator says its address").atMost(Duration.ofSeconds(60)).until(() -> {
            Matcher m = ADDRESS.matcher(Files.exists(log) ? Files.readString(log) : "");
            return m.find() ? m.group(1) : null;
        }, java.util.Objects::nonNull);
    }

    private static List<ProcessHandle> awaitWorkers(Process coordinator, int n) throws InterruptedException {
        return await().atMost(Duration.ofSeconds(60)).until(() -> Coordinator.workers(coordinator.toHandle()).stream()
                .filter(w -> comm(w.pid()).startsWith("jvmpool-w")).toList(), w -> w.size() == n);
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void statusBeforeTheFirstTaskSaysWhatTheJobWaitsFor() throws Exception {
        Path log = dir.resolve("waiting.txt");
        Process coordinator = Coordinator.start(dir, log, "--workers", "0", "--min-workers", "2", "--listen", "127.0.0.1:0",
                "--out", dir.resolve("waiting").toString());
        try {
            String address = await().atMost(Duration.ofSeconds(60)).until(() -> {
                Matcher m = Pattern.compile("dial (127\\.0\\.0\\.1:\\d+)").matcher(Files.readString(log));
                return m.find() ? m.group(1) : null;
            }, java.util.Objects::nonNull);
            Cli.Result status = Cli.run("status", "--coordinator", address);
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.out()).contains("waiting for workers: 0 of 2 ready").doesNotContain("0/0");
        } finally {
            coordinator.destroyForcibly();
        }
    }

    @Test
    void statusAgainstSomethingThatIsNotAJobSaysSoInOneLine() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Cli.Result status = Cli.run("status", "--coordinator", "127.0.0.1:" + silent.getLocalPort());
            assertThat(status.exitCode()).isEqualTo(1);
            assertThat(status.err().lines().filter(l -> l.startsWith("jvmpool: ")).toList()).as(status.toString())
                    .singleElement().asString().contains("no answer from 127.0.0.1:" + silent.getLocalPort());
            assertThat(status.err()).doesNotContain("io.grpc").doesNotContain("Exception");
        }
    }
}
