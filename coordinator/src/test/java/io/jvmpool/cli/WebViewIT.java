package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Need;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --http}: a real job watched by a real Prometheus server (and promtool), by headless
 * Chromium, and by clients that misbehave. All on loopback.
 */
class WebViewIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void prometheusScrapesTheJobAndItsCounterEndsAtTheJobsTasks() throws Exception {
        Need.PROMETHEUS.require();
        int web = freePort();
        int prometheusPort = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: jvmpool\n    static_configs:\n"
                + "      - targets: ['127.0.0.1:" + web + "']\n");
        started.add(new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort).redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start());
        Process job = job(dir.resolve("job.log"), "--task", "burn", "--args", "200", "--batches", "2", "--batch-size", "10",
                "--workers", "2", "--http", "127.0.0.1:" + web, "--http-linger", "5s", "--out", "out");
        await("the job serves /metrics").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(web, "/metrics").statusCode() == 200);
        String scrape = await().atMost(Duration.ofSeconds(60)).until(() -> get(web, "/metrics").body(),
                b -> b.contains("jvmpool_worker_cpu_seconds_total{worker=\"w1\"}"));
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = promtool.getOutputStream()) {
            in.write(scrape.getBytes(StandardCharsets.UTF_8));
        }
        String lint = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor()).as("promtool check metrics:\n" + lint + "\non:\n" + scrape).isZero();
        assertThat(job.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(job.exitValue()).as(Files.readString(dir.resolve("job.log"))).isZero();
        // the target is gone now: an instant query would see the staleness marker, a range does not
        String query = "max_over_time(jvmpool_tasks_done_total[5m])";
        String answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString()).body();
        JsonObject reply = JsonParser.parseString(answer).getAsJsonObject();
        assertThat(reply.get("status").getAsString()).as(answer).isEqualTo("success");
        var result = reply.getAsJsonObject("data").getAsJsonArray("result");
        assertThat(result).as(answer).hasSize(1);
        assertThat(result.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString()).as(answer).isEqualTo("20");
    }

    @Test
    void chromiumShowsTheLivePageAdvancingAndThenTheSummary() throws Exception {
        Need.CHROMIUM.require();
        int web = freePort();
        Process job = job(dir.resolve("job.log"), "--task", "burn", "--args", "300", "--batches", "4", "--batch-size", "10",
                "--workers", "2", "--http", "127.0.0.1:" + web, "--http-linger", "30s", "--out", "out");
        String url = "http://127.0.0.1:" + web + "/";
        await("the job runs tasks").atMost(Duration.ofSeconds(60)).ignoreExceptions().pollInterval(Duration.ofMillis(100))
                .until(() -> job(web).get("tasks_done").getAsLong() >= 1);
        String first = dom(url);
        assertThat(count(first, "<tr class=\"worker\">")).as(first).isEqualTo(2);
        long before = progress(first);
        Path screenshots = Path.of("target", "web-view");
        Files.createDirectories(screenshots);
        chromium("--screenshot=" + screenshots.resolve("mid-job.png").toAbsolutePath(), "--window-size=1280,900", url);
        await("more tasks done").atMost(Duration.ofSeconds(60)).until(() -> job(web).get("tasks_done").getAsLong() > before + 2);
        long after = progress(dom(url));
        assertThat(after).as("progress advances between two reads").isGreaterThan(before);
        await("the job ends").atMost(Duration.ofSeconds(120)).until(() -> job(web).get("state").getAsString().equals("done"));
        String end = dom(url);
        assertThat(end).as(end).contains("<div id=\"summary\">done: 40 tasks in 4 batches");
        assertThat(progress(end)).isEqualTo(40);
        chromium("--screenshot=" + screenshots.resolve("ended.png").toAbsolutePath(), "--window-size=1280,900", url);
        assertThat(screenshots.resolve("ended.png")).isNotEmptyFile();
        job.destroy(); // it lingers 30 s for the page: SIGTERM ends it at once
        assertThat(job.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void unknownPathsAre404OffLoopbackTheTokenIsNeededAndStuckClientsHoldUpNothing() throws Exception {
        int web = freePort();
        String token = "s3cret-token-for-the-page";
        Process job = job(dir.resolve("job.log"), "--task", "burn", "--args", "200", "--batches", "2", "--batch-size", "10",
                "--workers", "2", "--token", token, "--http", "0.0.0.0:" + web, "--http-linger", "20s", "--out", "out");
        await("the job serves").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(web, "/metrics").statusCode() == 401);
        assertThat(Files.readString(dir.resolve("job.log"))).contains("watch the job at http://127.0.0.1:" + web + "/?token=...");
        assertThat(get(web, "/").statusCode()).isEqualTo(401);
        assertThat(get(web, "/?token=wrong").statusCode()).isEqualTo(401);
        assertThat(get(web, "/?token=" + token).statusCode()).isEqualTo(200);
        assertThat(get(web, "/nothing-here?token=" + token).statusCode()).isEqualTo(404);
        HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web + "/metrics"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE jvmpool_tasks_done_total counter");
        List<Socket> stuck = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) { // half a request each, never finished
                Socket s = new Socket("127.0.0.1", web);
                s.getOutputStream().write("GET /api/job HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                stuck.add(s);
            }
            for (int i = 0; i < 4; i++) { // whole requests whose answers are never read
                Socket s = new Socket();
                s.setReceiveBufferSize(1024);
                s.connect(new java.net.InetSocketAddress("127.0.0.1", web));
                s.getOutputStream().write(("GET /?token=" + token + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                stuck.add(s);
            }
            assertThat(get(web, "/api/job?token=" + token).statusCode()).as("answered beside the stuck ones").isEqualTo(200);
            await("the job finishes beside them").atMost(Duration.ofSeconds(120)).until(() -> JsonParser.parseString(
                    get(web, "/api/job?token=" + token).body()).getAsJsonObject().get("state").getAsString().equals("done"));
        } finally {
            for (Socket s : stuck) {
                s.close();
            }
        }
        JsonObject end = JsonParser.parseString(get(web, "/api/job?token=" + token).body()).getAsJsonObject();
        assertThat(end.get("tasks_done").getAsLong()).isEqualTo(20);
        assertThat(end.getAsJsonArray("batches")).hasSize(2);
        assertThat(end.getAsJsonArray("workers")).hasSize(2);
        assertThat(end.get("summary").getAsString()).startsWith("done: 20 tasks in 2 batches");
        job.destroy();
        assertThat(job.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void beyondLoopbackWithoutATokenIsRefusedUpFront() throws Exception {
        Process job = job(dir.resolve("job.log"), "--task", "trivial", "--http", "0.0.0.0:0", "--out", "out");
        assertThat(job.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(job.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("job.log")).strip())
                .startsWith("jvmpool: --http 0.0.0.0:0 is reachable from other machines: give the job a token");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    private Process job(Path log, String... argv) throws IOException {
        Process p = Coordinator.start(dir, log, argv);
        started.add(p);
        return p;
    }

    private static JsonObject job(int port) throws Exception {
        return JsonParser.parseString(get(port, "/api/job").body()).getAsJsonObject();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The page's DOM once its script has run for a while (Chromium's virtual time: timers and fetches). */
    private String dom(String url) throws Exception {
        return chromium("--dump-dom", "--virtual-time-budget=3000", url);
    }

    private String chromium(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("chromium-profile")));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("chromium.log").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("chromium.log"))).isZero();
        return out;
    }

    private static long progress(String dom) {
        Matcher m = Pattern.compile("<span id=\"progress\">(\\d+) / (\\d+)</span>").matcher(dom);
        assertThat(m.find()).as(dom).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
