package io.jvmpool.cli;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jvmpool.testing.Certificates;
import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Folders;
import io.jvmpool.testing.Need;
import io.jvmpool.testing.Needs;
import io.jvmpool.testing.NetworkHosts;
import io.jvmpool.testing.Slow;
import java.time.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several hosts, simulated with network namespaces: the coordinator on its own host, listening on
 * its addresses with a token and TLS, and worker JVMs on the others. Tasks sleep (as for I/O), so
 * that the two cores of this machine do not limit what the hosts can do together. What these jobs
 * reach (tasks/s as hosts are added, efficiency behind a round trip) is the bench's to report
 * ({@code bench/run --only hosts}); here each host's workers must take part and the files be right.
 */
@Slow
@Needs({Need.ROOT, Need.OPENSSL})
class ManyHostsTest {
    private static final int PORT = 7070;

    @TempDir
    Path dir;

    private Path cert;
    private Path key;
    private Path token;

    @BeforeEach
    void secrets() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        Certificates.selfSigned(cert, key);
        token = Files.writeString(dir.resolve("token"), "many-hosts-token");
    }

    @Test
    void everyWorkerOnOneToThreeHostsTakesPart() throws Exception {
        try (NetworkHosts net = NetworkHosts.create(3)) {
            for (int hosts = 1; hosts <= 3; hosts += 2) {
                int tasks = 48 * hosts; // 12 tasks of 100 ms per worker, whatever the count
                JsonObject report = runJob(net, hosts, 4, "h" + hosts, "--task", "io.jvmpool.testtasks.SleepTask",
                        "--args", "100", "--outputs", "i", "--dtype", "int64", "--batches", "1", "--batch-size", Integer.toString(tasks));
                assertThat(report.getAsJsonArray("workers")).hasSize(4 * hosts);
                for (var w : report.getAsJsonArray("workers")) {
                    assertThat(w.getAsJsonObject().get("tasks").getAsLong()).as("tasks of worker " + w).isPositive();
                }
                assertThat(report.getAsJsonObject("totals").get("tasks_done").getAsLong()).isEqualTo(tasks);
            }
        }
    }

    @Test
    void aJobRunsThroughTwentyMillisecondsOfRoundTrip() throws Exception {
        try (NetworkHosts net = NetworkHosts.create(1)) {
            // 10 ms each way between worker host 1 and the coordinator, through a proxy on worker host 1
            Process proxy = net.start(net.workerHost(1), dir.resolve("proxy.txt"), List.of(Coordinator.java(), "-cp",
                    System.getProperty("java.class.path"), "io.jvmpool.testing.DelayProxy", "127.0.0.1:7071",
                    NetworkHosts.coordinatorAddress(1) + ":" + PORT, "10"));
            try {
                awaitLine(dir.resolve("proxy.txt"), "listening");
                int tasks = 480;
                JsonObject report = runJob(net, 1, 4, "delay", List.of("127.0.0.1:7071"), "--task", "io.jvmpool.testtasks.SleepTask",
                        "--args", "50", "--outputs", "i", "--dtype", "int64", "--batches", "1", "--batch-size", Integer.toString(tasks));
                JsonObject at = report.getAsJsonObject("seconds_since_jvm_start");
                double span = at.get("done").getAsDouble() - at.get("first_task_sent").getAsDouble();
                // the share of the time the workers were computing (a sleep overshooting its 50 ms is
                // the machine's, not a gap between tasks)
                double busy = 0;
                for (var w : report.getAsJsonArray("workers")) {
                    busy += w.getAsJsonObject().get("busy_seconds").getAsDouble();
                }
                System.out.printf("50 ms tasks over a 20 ms round trip, 4 workers: efficiency %.3f (busy %.2f s of 4 x %.2f s)%n",
                        busy / (4 * span), busy, span);
                assertThat(report.getAsJsonObject("totals").get("tasks_done").getAsLong()).isEqualTo(tasks);
                assertThat(report.getAsJsonArray("workers")).hasSize(4);
            } finally {
                proxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aHostWhoseLinkGoesDownLosesItsTasksToTheOthersAndComingBackDoesNoHarm() throws Exception {
        String[] job = {"--task", "io.jvmpool.testtasks.SleepTask", "--args", "200", "--outputs", "i", "--dtype", "int64",
            "--batches", "4", "--batch-size", "20", "--heartbeat-timeout", "2s"};
        try (NetworkHosts net = NetworkHosts.create(2)) {
            Path out = dir.resolve("partition");
            Thread partition = new Thread(() -> {
                try {
                    awaitFile(out.resolve("i_para_0.npy"));
                    net.link(2, false);
                    Thread.sleep(5000);
                    net.link(2, true);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            partition.start();
            JsonObject report = runJob(net, 2, 2, "partition", job);
            partition.join(60_000);
            assertThat(report.getAsJsonObject("totals").get("retries").getAsInt()).as("host 2's tasks were handed out again")
                    .isPositive();
            assertThat(Files.readString(dir.resolve("partition.coordinator.txt"))).contains("sent no heartbeat");
        }
        Cli.Result local = Cli.run(io.jvmpool.testing.Argv.with(job, "--workers", "2", "-q", "--out", dir.resolve("local").toString()));
        assertThat(local.exitCode()).as(local.toString()).isZero();
        Folders.assertSameNpyFiles(dir.resolve("partition"), dir.resolve("local"));
    }

    private JsonObject runJob(NetworkHosts net, int hosts, int workersPerHost, String name, String... job) throws Exception {
        List<String> dial = new ArrayList<>();
        for (int i = 1; i <= hosts; i++) {
            dial.add(NetworkHosts.coordinatorAddress(i) + ":" + PORT);
        }
        return runJob(net, hosts, workersPerHost, name, dial, job);
    }

    /** Runs a job with the coordinator on its host and workers on worker hosts 1..hosts, each dialing its address; returns run.json. */
    private JsonObject runJob(NetworkHosts net, int hosts, int workersPerHost, String name, List<String> dial, String... job)
            throws Exception {
        Path out = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of(Coordinator.java(), "-cp", System.getProperty("java.class.path"),
                "io.jvmpool.cli.Main", "--workers", "0", "--min-workers", Integer.toString(hosts * workersPerHost),
                "--listen", "0.0.0.0:" + PORT, "--token-file", token.toString(), "--tls-cert", cert.toString(),
                "--tls-key", key.toString(), "-q", "--out", out.toString()));
        command.addAll(List.of(job));
        Path log = dir.resolve(name + ".coordinator.txt");
        Process coordinator = net.start(net.coordinatorHost(), log, command);
        List<Process> workers = new ArrayList<>();
        try {
            for (int h = 1; h <= hosts; h++) {
                for (int w = 0; w < workersPerHost; w++) {
                    workers.add(net.start(net.workerHost(h), dir.resolve(name + ".w" + h + "-" + w + ".txt"), List.of(Coordinator.java(),
                            "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.jvmpool.worker.WorkerMain",
                            "--coordinator", dial.get(h - 1), "--token-file", token.toString(), "--tls-ca", cert.toString(),
                            "--tls-authority", "jvmpool.test", "--connect-timeout", "120")));
                }
            }
            boolean ended = coordinator.waitFor(300, TimeUnit.SECONDS);
            assertThat(ended).as(() -> logs(name)).isTrue();
            assertThat(coordinator.exitValue()).as(Files.readString(log)).isZero();
            for (Process w : workers) {
                w.waitFor(30, TimeUnit.SECONDS);
            }
            return JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        } finally {
            coordinator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            for (Process w : workers) {
                w.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** What the coordinator and the first worker said, for a failure's message. */
    private String logs(String name) {
        try {
            return "coordinator:\n" + tail(Files.readString(dir.resolve(name + ".coordinator.txt")))
                    + "\nfirst worker:\n" + tail(Files.readString(dir.resolve(name + ".w1-0.txt")));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String tail(String text) {
        return text.length() <= 3000 ? text : "..." + text.substring(text.length() - 3000);
    }

    private static void awaitLine(Path log, String line) throws IOException, InterruptedException {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(log).exists().content().contains(line));
    }

    private static void awaitFile(Path file) throws InterruptedException {
        await().atMost(Duration.ofSeconds(180)).until(() -> Files.exists(file));
    }
}
