package io.jvmpool.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.jvmpool.job.JobListener;
import io.jvmpool.pool.Pool;
import io.jvmpool.pool.PoolSnapshot;
import io.jvmpool.pool.WorkerView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What a web page or Prometheus may want of a running job beyond the pool's own snapshot: the
 * batches written (files and bytes), the errors, and each worker's task stream, sampled five times a
 * second from the snapshots (a task shorter than that may share a bar with the next). Its state is
 * read by the web server's threads and written by the job's; it is guarded by its own monitor, and
 * nothing is called out from under it.
 */
public final class JobWatch implements JobListener {
    /** How many task-stream bars and error lines are kept: the page shows the latest. */
    static final int KEPT_BARS = 2000;
    static final int KEPT_ERRORS = 50;
    private static final long SAMPLE_MILLIS = 200;

    /** One batch whole on disk. */
    record Batch(int batch, List<String> files, long bytes, double atSeconds) {
    }

    /** One worker running one task, from {@code start} to {@code end} (seconds since the job started; end NaN while it runs). */
    record Bar(String worker, long task, double start, double end) {
    }

    private final int batchesPlanned;
    private final long startedNanos = System.nanoTime();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jvmpool-http-sampler");
        t.setDaemon(true);
        return t;
    });
    private volatile Pool pool;
    private PoolSnapshot last;
    private final List<Batch> batches = new ArrayList<>();
    private long bytesWritten;
    private final Deque<String> errors = new ArrayDeque<>();
    private long errorCount;
    private final Deque<Bar> bars = new ArrayDeque<>();
    private final Map<String, Bar> running = new HashMap<>();
    private String state = "starting";
    private String summary;

    public JobWatch(int batchesPlanned) {
        this.batchesPlanned = batchesPlanned;
    }

    @Override
    public void started(Pool started) {
        pool = started;
        synchronized (this) {
            state = "running";
        }
        sampler.scheduleWithFixedDelay(this::sample, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void batchWritten(int batch, List<Path> files) {
        long bytes = 0;
        List<String> names = new ArrayList<>();
        for (Path f : files) {
            names.add(f.getFileName().toString());
            try {
                bytes += Files.size(f);
            } catch (IOException e) {
                // counted as far as it can be
            }
        }
        synchronized (this) {
            batches.add(new Batch(batch, List.copyOf(names), bytes, seconds()));
            bytesWritten += bytes;
        }
    }

    @Override
    public void taskFailed(String description) {
        synchronized (this) {
            errorCount++;
            errors.addLast(description);
            if (errors.size() > KEPT_ERRORS) {
                errors.removeFirst();
            }
        }
    }

    @Override
    public void ended() {
        sampler.shutdownNow();
        sample();
    }

    /** How the job ended ({@code done}, {@code failed}, {@code interrupted}) and its summary line. */
    public void finish(String outcome, String line) {
        sampler.shutdownNow();
        synchronized (this) {
            state = outcome;
            summary = line;
            double now = seconds();
            for (Bar b : running.values()) {
                keep(new Bar(b.worker(), b.task(), b.start(), now));
            }
            running.clear();
        }
    }

    private void sample() {
        Pool p = pool;
        if (p != null) {
            record(p.snapshot(), seconds());
        }
    }

    /** The pool as it was {@code at} seconds into the job: its numbers, and each worker's task for the stream. */
    synchronized void record(PoolSnapshot now, double at) {
        last = now;
        for (WorkerView w : now.latestWorkers()) {
            String name = "w" + w.index();
            Bar open = running.get(name);
            if (open != null && open.task() != w.currentTask()) {
                keep(new Bar(name, open.task(), open.start(), at));
                running.remove(name);
                open = null;
            }
            if (open == null && w.currentTask() >= 0) {
                running.put(name, new Bar(name, w.currentTask(), at, Double.NaN));
            }
        }
    }

    private void keep(Bar bar) {
        bars.addLast(bar);
        if (bars.size() > KEPT_BARS) {
            bars.removeFirst();
        }
    }

    private double seconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    /** The numbers Prometheus reads. */
    record Numbers(PoolSnapshot snapshot, int batchesWritten, long bytesWritten) {
    }

    synchronized Numbers numbers() {
        return new Numbers(last, batches.size(), bytesWritten);
    }

    /** The job as the page reads it, documented in the README ("Watching from a browser"). */
    synchronized JsonObject json() {
        JsonObject j = new JsonObject();
        j.addProperty("state", state);
        PoolSnapshot s = last;
        double elapsed = s != null ? s.elapsedSeconds() : 0;
        j.addProperty("task", s != null ? s.task() : "");
        j.addProperty("tasks_total", s != null ? s.tasksTotal() : 0);
        j.addProperty("tasks_done", s != null ? s.tasksDone() : 0);
        j.addProperty("tasks_failed", s != null ? s.tasksFailed() : 0);
        j.addProperty("tasks_retried", s != null ? s.tasksRetried() : 0);
        j.addProperty("elapsed_seconds", elapsed);
        double rate = s != null && elapsed > 0 ? s.tasksDone() / elapsed : 0;
        j.addProperty("tasks_per_second", rate);
        long left = s != null ? s.tasksTotal() - s.tasksDone() - s.tasksFailed() : 0;
        if (rate > 0 && left > 0) {
            j.addProperty("eta_seconds", left / rate);
        } else {
            j.add("eta_seconds", JsonNull.INSTANCE);
        }
        if (s != null && s.waitingForWorkers()) {
            j.addProperty("workers_ready", s.workersReady());
            j.addProperty("workers_wanted", s.workersWanted());
        }
        JsonArray workers = new JsonArray();
        if (s != null) {
            for (WorkerView w : s.workers()) {
                JsonObject o = new JsonObject();
                o.addProperty("worker", "w" + w.index());
                o.addProperty("host", w.host());
                o.addProperty("pid", w.pid());
                o.addProperty("local", w.local());
                o.addProperty("state", w.state().label());
                o.addProperty("cpu_percent", w.cpuPercent());
                o.addProperty("rss_bytes", w.rssBytes());
                o.addProperty("cpu_seconds", w.cpuSeconds());
                o.addProperty("tasks_done", w.tasksDone());
                o.addProperty("current_task", w.currentTask());
                o.addProperty("restarts", w.restarts());
                o.addProperty("recycled", w.recycled());
                workers.add(o);
            }
        }
        j.add("workers", workers);
        j.addProperty("batches_total", batchesPlanned);
        JsonArray written = new JsonArray();
        for (Batch b : batches) {
            JsonObject o = new JsonObject();
            o.addProperty("batch", b.batch());
            JsonArray files = new JsonArray();
            b.files().forEach(files::add);
            o.add("files", files);
            o.addProperty("bytes", b.bytes());
            o.addProperty("at_seconds", b.atSeconds());
            written.add(o);
        }
        j.add("batches", written);
        j.addProperty("bytes_written", bytesWritten);
        JsonObject errs = new JsonObject();
        errs.addProperty("count", errorCount);
        JsonArray lines = new JsonArray();
        errors.forEach(lines::add);
        errs.add("latest", lines);
        j.add("errors", errs);
        JsonArray stream = new JsonArray();
        List<Bar> all = new ArrayList<>(bars);
        all.addAll(running.values());
        for (Bar b : all) {
            JsonObject o = new JsonObject();
            o.addProperty("worker", b.worker());
            o.addProperty("task", b.task());
            o.addProperty("start", b.start());
            if (Double.isNaN(b.end())) {
                o.add("end", JsonNull.INSTANCE);
            } else {
                o.addProperty("end", b.end());
            }
            stream.add(o);
        }
        j.add("task_stream", stream);
        if (summary != null) {
            j.addProperty("summary", summary);
        }
        return j;
    }
}
