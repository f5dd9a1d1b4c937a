package io.jvmpool.web;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a job to browsers and to Prometheus: {@code /} the live page, {@code /api/job} the JSON it
 * reads, {@code /metrics} Prometheus' text format; anything else is 404. When a token is given
 * (beyond loopback), every request must carry it ({@code Authorization: Bearer T}, or
 * {@code ?token=T} as a browser does), else 401. Each request runs on a thread of its own, and one
 * that takes more than 10 s to arrive or to be read is dropped, so that a slow or stuck client holds
 * up neither the job (which never waits for this) nor the other readers.
 */
public final class WebServer implements AutoCloseable {
    private static final byte[] NOT_FOUND = "not found: jvmpool serves /, /api/job and /metrics\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] UNAUTHORIZED = "this job's page needs its token: ?token=T or Authorization: Bearer T\n"
            .getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService threads;
    private final JobWatch watch;
    private final byte[] token;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
    private final Gson gson = new GsonBuilder().serializeNulls().create();

    private WebServer(HttpServer server, ExecutorService threads, JobWatch watch, String token) {
        this.server = server;
        this.threads = threads;
        this.watch = watch;
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        registry.register(new JobMetrics(watch));
    }

    /** Listens on {@code host:port} (port 0: any free one); {@code token} null: requests need none. */
    public static WebServer start(String host, int port, String token, JobWatch watch) throws IOException {
        // the JDK server's limits on one request, in seconds: read once, when its first server starts
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "10"));
        System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", "10"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 16);
        AtomicInteger n = new AtomicInteger();
        // a thread per request, so that readers stuck mid-request (each dropped after maxReqTime) hold up no one else
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jvmpool-http-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        WebServer web = new WebServer(server, threads, watch, token);
        server.createContext("/", web::handle);
        server.setExecutor(threads);
        server.start();
        return web;
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n".getBytes(StandardCharsets.UTF_8));
            } else if (!authorized(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                send(exchange, 401, "text/plain; charset=utf-8", UNAUTHORIZED);
            } else if (path.equals("/")) {
                send(exchange, 200, "text/html; charset=utf-8", page());
            } else if (path.equals("/api/job")) {
                send(exchange, 200, "application/json", gson.toJson(watch.json()).getBytes(StandardCharsets.UTF_8));
            } else if (path.equals("/metrics")) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                text.write(body, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
                send(exchange, 200, PrometheusTextFormatWriter.CONTENT_TYPE, body.toByteArray());
            } else {
                send(exchange, 404, "text/plain; charset=utf-8", NOT_FOUND);
            }
        } catch (IOException | RuntimeException e) {
            // the reader went away, or took too long: its loss alone
        }
    }

    private boolean authorized(HttpExchange exchange) {
        if (token == null) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.startsWith("Bearer ") && same(header.substring("Bearer ".length()).strip())) {
            return true;
        }
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("token=") && same(URLDecoder.decode(pair.substring("token=".length()), StandardCharsets.UTF_8))) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean same(String given) {
        return MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] page() throws IOException {
        try (InputStream in = WebServer.class.getResourceAsStream("index.html")) {
            if (in == null) {
                throw new IOException("the page is missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
