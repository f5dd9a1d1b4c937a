package io.jvmpool.job;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.jvmpool.output.BatchAssembler;
import io.jvmpool.pool.PoolSnapshot;
import io.jvmpool.pool.Timeline;
import io.jvmpool.pool.WorkerView;
import io.jvmpool.shared.Version;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code run.json} in the output folder: the job, its timing, each worker's share, each batch's
 * files and checksums, and the totals; and the same in short on stderr at the end.
 */
final class RunReport {
    static final String FILE_NAME = "run.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final JsonObject job;
    private final Instant start = Instant.now();
    private final long startNanos = System.nanoTime();
    private final List<JsonObject> batches = new ArrayList<>();
    /** How many tasks' rows the workers wrote into the files themselves (the rest came over gRPC). */
    private java.util.function.LongSupplier tasksInPlace = () -> 0;

    /** @param job what was asked for: task, arguments, sizes, flags */
    RunReport(JsonObject job) {
        this.job = job;
    }

    /** Whether the job ran on a warm pool's workers, up before it started. */
    private boolean warmPool;

    void ranOnWarmPool(boolean warm) {
        this.warmPool = warm;
    }

    void countInPlace(java.util.function.LongSupplier tasks) {
        this.tasksInPlace = tasks;
    }

    /** Each output's dtype and the shape of one row, as the batch files hold them. */
    private java.util.function.Supplier<List<BatchAssembler.Array>> arrays = List::of;

    void describeArrays(java.util.function.Supplier<List<BatchAssembler.Array>> outputs) {
        this.arrays = outputs;
    }

    synchronized void batchWritten(BatchAssembler.WrittenBatch batch) {
        JsonObject b = new JsonObject();
        b.addProperty("batch", batch.batch());
        b.addProperty("written", Instant.now().toString());
        JsonArray files = new JsonArray();
        for (BatchAssembler.WrittenFile f : batch.files()) {
            JsonObject file = new JsonObject();
            file.addProperty("name", f.path().getFileName().toString());
            file.addProperty("crc32c", f.crc32c());
            file.addProperty("bytes", f.bytes());
            files.add(file);
        }
        b.add("files", files);
        batches.add(b);
    }

    /** Writes run.json (atomically) for a job that ended as {@code outcome} (done, failed, interrupted). */
    synchronized void write(Path folder, PoolSnapshot pool, Timeline timeline, String outcome, String error) throws IOException {
        double wall = wallSeconds();
        JsonObject root = new JsonObject();
        root.addProperty("jvmpool_version", Version.get());
        root.add("job", job);
        JsonArray outputs = new JsonArray();
        for (BatchAssembler.Array a : arrays.get()) {
            JsonObject o = new JsonObject();
            o.addProperty("name", a.name());
            o.addProperty("dtype", a.dtype().numpyName());
            o.add("shape", a.rowShape() == null ? null : GSON.toJsonTree(a.rowShape()));
            outputs.add(o);
        }
        root.add("outputs", outputs);
        root.addProperty("outcome", outcome);
        root.addProperty("warm_pool", warmPool);
        if (error != null) {
            root.addProperty("error", error);
        }
        root.addProperty("start", start.toString());
        root.addProperty("end", Instant.now().toString());
        root.addProperty("wall_seconds", round(wall));
        JsonObject milestones = new JsonObject();
        milestones.addProperty("pool_started", timeline.poolStarted());
        milestones.addProperty("all_workers_ready", timeline.allWorkersReady());
        milestones.addProperty("first_task_sent", timeline.firstTaskSent());
        milestones.addProperty("first_result", timeline.firstResult());
        milestones.addProperty("done", round((System.currentTimeMillis()
                - io.jvmpool.pool.Timeline.origin()) / 1000.0));
        root.add("seconds_since_jvm_start", milestones);
        JsonArray workers = new JsonArray();
        double cpu = 0;
        for (WorkerView w : pool.workers()) {
            JsonObject o = new JsonObject();
            o.addProperty("index", w.index());
            o.addProperty("pid", w.pid());
            o.addProperty("host", w.host());
            o.addProperty("local", w.local());
            o.addProperty("tasks", w.tasksDone());
            o.addProperty("cpu_seconds", round(w.cpuSeconds()));
            o.addProperty("busy_seconds", round(w.busySeconds()));
            o.addProperty("busy_share", round(wall > 0 ? w.busySeconds() / wall : 0));
            o.addProperty("restarts", w.restarts());
            o.addProperty("recycled", w.recycled());
            workers.add(o);
            cpu += w.cpuSeconds();
        }
        root.add("workers", workers);
        JsonArray written = new JsonArray();
        batches.stream().sorted((a, b) -> a.get("batch").getAsInt() - b.get("batch").getAsInt()).forEach(written::add);
        root.add("batches", written);
        JsonObject totals = new JsonObject();
        totals.addProperty("tasks_done", pool.tasksDone());
        totals.addProperty("tasks_per_second", round(wall > 0 ? pool.tasksDone() / wall : 0));
        totals.addProperty("failures", pool.tasksFailed());
        totals.addProperty("retries", pool.tasksRetried());
        totals.addProperty("workers_recycled", pool.workers().stream().mapToInt(WorkerView::recycled).sum());
        totals.addProperty("worker_cpu_seconds", round(cpu));
        totals.addProperty("cpu_efficiency", round(pool.cpuEfficiency(wall)));
        totals.addProperty("tasks_written_in_place", tasksInPlace.getAsLong());
        root.add("totals", totals);

        Path file = folder.resolve(FILE_NAME);
        io.jvmpool.output.AtomicFile.write(file, GSON.toJson(root).getBytes(StandardCharsets.UTF_8));
    }

    double wallSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
