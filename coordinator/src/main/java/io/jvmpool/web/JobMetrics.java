package io.jvmpool.web;

import io.jvmpool.pool.PoolSnapshot;
import io.jvmpool.pool.WorkerState;
import io.jvmpool.pool.WorkerView;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The job's numbers as Prometheus' metrics, read from {@link JobWatch} at each scrape. Named by
 * Prometheus' conventions: a {@code jvmpool_} prefix, base units, {@code _total} on counters (the
 * text format adds it), one {@code worker} label ({@code w0}, {@code w1}, ...) and none per task.
 */
final class JobMetrics implements MultiCollector {
    private final JobWatch watch;

    JobMetrics(JobWatch watch) {
        this.watch = watch;
    }

    @Override
    public MetricSnapshots collect() {
        JobWatch.Numbers n = watch.numbers();
        PoolSnapshot s = n.snapshot();
        Collection<WorkerView> workers = s == null ? List.of() : s.latestWorkers();
        MetricSnapshots.Builder all = MetricSnapshots.builder()
                .metricSnapshot(counter("jvmpool_tasks_done", "Tasks finished with a result.", s == null ? 0 : s.tasksDone()))
                .metricSnapshot(counter("jvmpool_tasks_failed", "Tasks that failed (their error is in errors.tsv or ended the job).",
                        s == null ? 0 : s.tasksFailed()))
                .metricSnapshot(counter("jvmpool_task_retries", "Tasks handed out again after their worker was lost.",
                        s == null ? 0 : s.tasksRetried()))
                .metricSnapshot(counter("jvmpool_batches_written", "Batches whole on disk.", n.batchesWritten()))
                .metricSnapshot(CounterSnapshot.builder().name("jvmpool_written_bytes").unit(Unit.BYTES)
                        .help("Bytes of the batch files written.")
                        .dataPoint(CounterDataPointSnapshot.builder().value(n.bytesWritten()).build()).build())
                .metricSnapshot(gauge("jvmpool_job_tasks", "Tasks in the job.", s == null ? 0 : s.tasksTotal()))
                .metricSnapshot(gauge("jvmpool_tasks_pending", "Tasks not finished yet: queued or running.",
                        s == null ? 0 : Math.max(0, s.tasksTotal() - s.tasksDone() - s.tasksFailed())));
        Map<WorkerState, Integer> byState = new EnumMap<>(WorkerState.class);
        for (WorkerState state : WorkerState.values()) {
            byState.put(state, 0);
        }
        for (WorkerView w : workers) {
            byState.merge(w.state(), 1, Integer::sum);
        }
        GaugeSnapshot.Builder states = GaugeSnapshot.builder().name("jvmpool_workers").help("Worker processes by state.");
        byState.forEach((state, count) -> states.dataPoint(GaugeDataPointSnapshot.builder()
                .labels(Labels.of("state", state.label())).value(count).build()));
        all.metricSnapshot(states.build());
        CounterSnapshot.Builder cpu = CounterSnapshot.builder().name("jvmpool_worker_cpu_seconds").unit(Unit.SECONDS)
                .help("CPU time of each worker process (the latest process with that index).");
        GaugeSnapshot.Builder rss = GaugeSnapshot.builder().name("jvmpool_worker_resident_memory_bytes").unit(Unit.BYTES)
                .help("Resident memory of each worker process.");
        CounterSnapshot.Builder done = CounterSnapshot.builder().name("jvmpool_worker_tasks_done").help("Tasks each worker finished.");
        for (WorkerView w : workers) {
            Labels worker = Labels.of("worker", "w" + w.index());
            cpu.dataPoint(CounterDataPointSnapshot.builder().labels(worker).value(w.cpuSeconds()).build());
            rss.dataPoint(GaugeDataPointSnapshot.builder().labels(worker).value(w.rssBytes()).build());
            done.dataPoint(CounterDataPointSnapshot.builder().labels(worker).value(w.tasksDone()).build());
        }
        return all.metricSnapshot(cpu.build()).metricSnapshot(rss.build()).metricSnapshot(done.build()).build();
    }

    private static CounterSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder().name(name).help(help).dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    private static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help).dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }
}
