package io.jvmpool.cli;

import io.jvmpool.job.JobSpec;
import io.jvmpool.web.JobWatch;
import io.jvmpool.web.WebServer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;

/** {@code --http}: the job's page and metrics, served while it runs and for {@code --http-linger} after. */
final class WebView implements AutoCloseable {
    private final JobWatch watch;
    private final WebServer server;
    private final Duration linger;
    private boolean endedOnItsOwn;

    private WebView(JobWatch watch, WebServer server, Duration linger) {
        this.watch = watch;
        this.server = server;
        this.linger = linger;
    }

    /** The page for {@code job} when the command line asks for one (null when not), its address said on {@code err}. */
    static WebView start(Main cli, JobSpec job, PrintStream err) throws UsageException {
        if (cli.http == null) {
            return null;
        }
        HostPort address = cli.http.contains(":") ? HostPort.parse("--http", cli.http) : HostPort.parse("--http", "127.0.0.1:" + cli.http);
        boolean loopback;
        try {
            loopback = address.resolvesToLoopback();
        } catch (IOException e) {
            throw new UsageException("--http " + cli.http + ": unknown host " + address.host());
        }
        String token = job.pool().token();
        if (!loopback && token == null) {
            throw new UsageException("--http " + cli.http + " is reachable from other machines: give the job a token (--token or "
                    + "--token-file), which every request must carry, or serve on loopback (e.g. --http 127.0.0.1:8265)");
        }
        JobWatch watch = new JobWatch(job.plan().batches());
        WebServer server;
        try {
            server = WebServer.start(address.host(), address.port(), loopback ? null : token, watch);
        } catch (IOException e) {
            throw new UsageException("--http " + cli.http + ": can't listen there (" + e.getMessage() + "); pick another port, or 0 for any");
        }
        boolean everywhere = address.host().equals("0.0.0.0") || address.host().equals("::");
        String host = !everywhere ? address.host() : cli.advertise != null ? cli.advertise : "127.0.0.1";
        err.println("jvmpool: watch the job at http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port() + "/"
                + (loopback ? "" : "?token=...") + " (Prometheus: /metrics)");
        return new WebView(watch, server, cli.httpLinger);
    }

    JobWatch watch() {
        return watch;
    }

    /** The job ended: the page shows {@code summary}, and it stays up for --http-linger unless the job was interrupted. */
    void ended(String outcome, String summary) {
        watch.finish(outcome, summary);
        endedOnItsOwn = !outcome.equals("interrupted");
    }

    @Override
    public void close() {
        if (endedOnItsOwn && !linger.isZero()) {
            try {
                Thread.sleep(linger.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        server.close();
    }
}
