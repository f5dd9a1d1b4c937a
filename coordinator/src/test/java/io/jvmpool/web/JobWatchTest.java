package io.jvmpool.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.jvmpool.pool.PoolSnapshot;
import io.jvmpool.pool.WorkerState;
import io.jvmpool.pool.WorkerView;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the page and Prometheus are told, from snapshots as the pool gives them (no JVMs, no server). */
class JobWatchTest {
    @TempDir
    Path dir;

    private static WorkerView worker(int index, long pid, WorkerState state, long done, long task) {
        return new WorkerView(index, pid, "vm", true, state, done, task, 90.0, 80_000_000L, 1.5 + index, 1.0, 0, 0);
    }

    private static PoolSnapshot snapshot(long done, long failed, WorkerView... workers) {
        return new PoolSnapshot("burn", 10, done, failed, 1, 2.0, List.of(workers), 2, 2);
    }

    @Test
    void eachWorkersTasksBecomeBarsOfTheTaskStream() {
        JobWatch watch = new JobWatch(2);
        watch.record(snapshot(0, 0, worker(0, 11, WorkerState.BUSY, 0, 0), worker(1, 12, WorkerState.BUSY, 0, 1)), 0.5);
        watch.record(snapshot(1, 0, worker(0, 11, WorkerState.BUSY, 1, 2), worker(1, 12, WorkerState.BUSY, 0, 1)), 0.7);
        watch.record(snapshot(2, 0, worker(0, 11, WorkerState.IDLE, 1, -1), worker(1, 12, WorkerState.BUSY, 1, 3)), 0.9);
        JsonArray stream = watch.json().getAsJsonArray("task_stream");
        assertThat(stream.toString()).isEqualTo("[{\"worker\":\"w0\",\"task\":0,\"start\":0.5,\"end\":0.7},"
                + "{\"worker\":\"w0\",\"task\":2,\"start\":0.7,\"end\":0.9},"
                + "{\"worker\":\"w1\",\"task\":1,\"start\":0.5,\"end\":0.9},"
                + "{\"worker\":\"w1\",\"task\":3,\"start\":0.9,\"end\":null}]");
    }

    @Test
    void theJsonHasTheProgressTheBatchesTheErrorsAndTheSummary() throws IOException {
        JobWatch watch = new JobWatch(2);
        watch.record(snapshot(4, 1, worker(0, 11, WorkerState.BUSY, 2, 5), worker(1, 12, WorkerState.BUSY, 2, 6)), 1.0);
        Path a = Files.write(dir.resolve("a_para_0.npy"), new byte[1000]);
        Path b = Files.write(dir.resolve("b_para_0.npy"), new byte[24]);
        watch.batchWritten(0, List.of(a, b));
        watch.taskFailed("task 3 (args 1, 2): java.lang.IllegalStateException: no");
        JsonObject j = watch.json();
        assertThat(j.get("tasks_done").getAsLong()).isEqualTo(4);
        assertThat(j.get("tasks_per_second").getAsDouble()).isEqualTo(2.0); // 4 tasks in 2 s
        assertThat(j.get("eta_seconds").getAsDouble()).isEqualTo(2.5); // 5 left at 2 a second
        assertThat(j.getAsJsonArray("workers")).hasSize(2);
        assertThat(j.getAsJsonArray("batches").get(0).getAsJsonObject().get("bytes").getAsLong()).isEqualTo(1024);
        assertThat(j.get("bytes_written").getAsLong()).isEqualTo(1024);
        assertThat(j.getAsJsonObject("errors").get("count").getAsLong()).isEqualTo(1);
        assertThat(j.has("summary")).isFalse();
        watch.finish("done", "done: 10 tasks in 2 batches");
        assertThat(watch.json().get("state").getAsString()).isEqualTo("done");
        assertThat(watch.json().get("summary").getAsString()).isEqualTo("done: 10 tasks in 2 batches");
        assertThat(watch.json().getAsJsonArray("task_stream")).allSatisfy(bar -> assertThat(bar.getAsJsonObject().get("end").isJsonNull())
                .as("every bar ends with the job").isFalse());
    }

    @Test
    void metricsFollowPrometheusNamingAndOneSeriesPerWorkerIndex() throws IOException {
        JobWatch watch = new JobWatch(1);
        // w0 died and was replaced: the old process is gone, the new one busy, both under index 0
        watch.record(snapshot(3, 0, worker(0, 11, WorkerState.GONE, 1, -1), worker(1, 12, WorkerState.BUSY, 2, 4),
                worker(0, 13, WorkerState.BUSY, 0, 5)), 1.0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, new JobMetrics(watch).collect(), EscapingScheme.UNDERSCORE_ESCAPING);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("# TYPE jvmpool_tasks_done_total counter\njvmpool_tasks_done_total 3.0\n",
                "# TYPE jvmpool_worker_cpu_seconds_total counter\n", "jvmpool_worker_cpu_seconds_total{worker=\"w0\"} 1.5\n",
                "jvmpool_worker_resident_memory_bytes{worker=\"w1\"} 8.0E7\n", "jvmpool_workers{state=\"busy\"} 2.0\n",
                "jvmpool_tasks_pending 7.0\n", "jvmpool_job_tasks 10.0\n");
        assertThat(text.lines().filter(l -> l.startsWith("jvmpool_worker_tasks_done_total{"))).hasSize(2);
        assertThat(text).doesNotContain("task=");
    }
}
