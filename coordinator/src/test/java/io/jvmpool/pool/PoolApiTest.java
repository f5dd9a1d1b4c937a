package io.jvmpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.jvmpool.testtasks.SleepTask;
import io.jvmpool.testtasks.ThrowingTask;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** submit with its futures and cancellation, imap over lazy input, and a failure that leaves the pool usable. */
class PoolApiTest {

    @Test
    void submittedTasksCompleteTheirFuturesAndEachRowKeepsItsTypes() throws Exception {
        try (Pool pool = Pool.start(new PoolOptions().task("trivial").workers(2))) {
            List<CompletableFuture<TaskResult>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                futures.add(pool.submit(i % 2 == 0 ? List.of(i, 2, 3, 4) : List.of(i + 0.5, 2.5, 1, 1)));
            }
            for (int i = 0; i < 12; i++) {
                TaskResult r = futures.get(i).get(60, TimeUnit.SECONDS);
                assertThat(r.index()).isEqualTo(i);
                assertThat(r.get(0)).isEqualTo(i % 2 == 0 ? i : i + 0.5);
                assertThat(r.get(2)).isEqualTo(i % 2 == 0 ? 7 : 2);
            }
            // a later submit starts a new job once the first has ended; indexes count from 0 again
            assertThat(pool.submit(List.of(1, 1, 1, 1)).get(60, TimeUnit.SECONDS).get(2)).isEqualTo(2);
        }
    }

    @Test
    void eachOutputComesBackFromItsOwnDtype() throws Exception {
        try (Pool pool = Pool.start(new PoolOptions().task(io.jvmpool.testtasks.ValuesTask.class.getName()).workers(1)
                .outputTypes(List.of(io.jvmpool.rows.DType.UINT8, io.jvmpool.rows.DType.FLOAT16, io.jvmpool.rows.DType.BOOL,
                        io.jvmpool.rows.DType.UINT64))
                .property("v0", "200;255.9").property("v1", "0.1;65519").property("v2", "0;NaN").property("v3", "1.8446744073709550e19"))) {
            TaskResult r = pool.map(List.of(List.of())).get(0);
            assertThat(r.values(0)).containsExactly(200, 255);
            assertThat(r.values(1)).containsExactly(0.0999755859375, 65504); // float16's nearest
            assertThat(r.values(2)).containsExactly(0, 1);
            assertThat(r.values(3)).containsExactly(1.844674407370955e19);
        }
    }

    @Test
    void rowsMayHoldTextInMapImapAndSubmit() throws Exception {
        try (Pool pool = Pool.start(new PoolOptions().task(io.jvmpool.testtasks.TextTask.class.getName()).workers(1)
                .outputTypes(List.of(io.jvmpool.rows.DType.UINT8, io.jvmpool.rows.DType.INT64, io.jvmpool.rows.DType.FLOAT64)))) {
            List<TaskResult> mapped = pool.map(List.of(List.of("resnet", 1), List.of("vit", 2.5)));
            assertThat(mapped.get(0).get(1)).isEqualTo(6);
            assertThat(mapped.get(1).get(1)).isEqualTo(3);
            assertThat(mapped.get(1).get(2)).isEqualTo(2.5);
            Iterator<TaskResult> lazy = pool.imap(List.of(List.of("ab", 1), List.of(7, 1)));
            assertThat(lazy.next().get(1)).isEqualTo(2);
            assertThatThrownBy(lazy::next).as("a number where the task reads text").hasMessageContaining("argument 0 should be text");
            assertThat(pool.submit(List.of("naïve", 0)).get(60, TimeUnit.SECONDS).get(1)).isEqualTo(6);
            assertThatThrownBy(() -> pool.map(List.of(List.of("a", 1), List.of(2, 1)))).hasMessageContaining("all numbers or all text");
        }
    }

    @Test
    void cancellingAQueuedTaskTakesItOutOfTheQueue() throws Exception {
        try (Pool pool = Pool.start(new PoolOptions().task(SleepTask.class.getName()).outputs(1).workers(1))) {
            assertThat(pool.awaitWorkers(1, 60, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<TaskResult> running = pool.submit(List.of(500));
            CompletableFuture<TaskResult> prefetched = pool.submit(List.of(1));
            CompletableFuture<TaskResult> queued = pool.submit(List.of(1));
            CompletableFuture<TaskResult> last = pool.submit(List.of(1));
            assertThat(queued.cancel(true)).isTrue();
            assertThat(last.get(60, TimeUnit.SECONDS).index()).isEqualTo(3);
            assertThat(running.get(60, TimeUnit.SECONDS).index()).isZero();
            assertThat(prefetched.get(60, TimeUnit.SECONDS).index()).isEqualTo(1);
            assertThatThrownBy(queued::get).isInstanceOf(CancellationException.class);
            long ran = pool.snapshot().workers().stream().mapToLong(WorkerView::tasksDone).sum();
            assertThat(ran).as("tasks the worker ran").isEqualTo(3);
        }
    }

    @Test
    void cancellingARunningTaskReplacesItsWorker() throws Exception {
        try (Pool pool = Pool.start(new PoolOptions().task(SleepTask.class.getName()).outputs(1).workers(1))) {
            assertThat(pool.awaitWorkers(1, 60, TimeUnit.SECONDS)).isTrue();
            List<Long> before = pool.localWorkerPids();
            CompletableFuture<TaskResult> endless = pool.submit(List.of(600_000));
            await().atMost(60, TimeUnit.SECONDS).until(() -> pool.snapshot().workers().get(0).state() == io.jvmpool.pool.WorkerState.BUSY);
            assertThat(endless.cancel(true)).isTrue();
            TaskResult next = pool.submit(List.of(1)).get(60, TimeUnit.SECONDS);
            assertThat(next.get(0)).isZero();
            assertThat(pool.localWorkerPids()).hasSize(1).doesNotContainAnyElementsOf(before);
        }
    }

    @Test
    void imapReadsALazyIterableNoFurtherAheadThanItsBound() throws Exception {
        int tasks = 20_000;
        int bound = 64;
        AtomicLong produced = new AtomicLong();
        Iterable<List<Long>> lazy = () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return produced.get() < tasks;
            }

            @Override
            public List<Long> next() {
                long i = produced.getAndIncrement();
                return List.of(i, 1L, i, 1L);
            }
        };
        try (Pool pool = Pool.start(new PoolOptions().task("trivial").workers(2))) {
            Iterator<TaskResult> results = pool.imap(lazy, bound);
            long taken = 0;
            long mostAhead = 0;
            while (results.hasNext()) {
                TaskResult r = results.next();
                assertThat(r.index()).isEqualTo(taken);
                assertThat(r.get(2)).isEqualTo(taken + 1);
                taken++;
                mostAhead = Math.max(mostAhead, produced.get() - taken);
            }
            assertThat(taken).isEqualTo(tasks);
            // one row more than the bound may be read: it waits in the job's queue until there is room
            assertThat(mostAhead).isLessThanOrEqualTo(bound + 1);
        }
    }

    @Test
    void aFailedTaskSurfacesOnItsIteratorAndFutureAndThePoolStaysUsable() throws Exception {
        List<List<Double>> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rows.add(List.of(i + 0.5));
        }
        try (Pool pool = Pool.start(new PoolOptions().task(ThrowingTask.class.getName()).outputs(2).workers(2))) {
            Iterator<TaskResult> it = pool.imapUnordered(rows);
            TaskFailedException failed = null;
            while (it.hasNext()) {
                try {
                    it.next();
                } catch (TaskFailedException e) {
                    failed = e;
                }
            }
            assertThat(failed).isNotNull();
            assertThat(failed.error().index() % 7).isEqualTo(3);
            assertThat(failed.getMessage()).contains("bad index");

            Iterator<TaskResult> ordered = pool.imap(rows.subList(0, 3));
            assertThat(ordered.next().get(1)).isEqualTo(0.5);
            assertThat(ordered.next().get(1)).isEqualTo(1.5);
            assertThat(ordered.next().get(1)).isEqualTo(2.5);
            assertThat(ordered.hasNext()).isFalse();

            assertThatThrownBy(() -> pool.map(rows)).isInstanceOf(JobFailedException.class).hasMessageContaining("bad index 3");
            List<CompletableFuture<TaskResult>> futures = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                futures.add(pool.submit(List.of(i)));
            }
            assertThatThrownBy(() -> futures.get(3).get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TaskFailedException.class);
            assertThat(futures.get(4).get(60, TimeUnit.SECONDS).get(0)).isEqualTo(4);
            assertThat(pool.map(rows.subList(0, 2))).hasSize(2);
        }
    }
}
