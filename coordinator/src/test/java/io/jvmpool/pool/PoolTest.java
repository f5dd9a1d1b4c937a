package io.jvmpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testtasks.ShuffledTask;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Pool library as a Java user calls it: map in order, imapUnordered as results finish. */
class PoolTest {

    @Test
    void mapReturnsResultsInTheOrderOfTheArguments() throws Exception {
        List<List<Integer>> args = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            args.add(List.of(i * 10));
        }
        try (Pool pool = Pool.start(new PoolOptions().task(ShuffledTask.class.getName()).workers(2))) {
            List<TaskResult> results = pool.map(args);
            assertThat(results).hasSize(30);
            for (int i = 0; i < 30; i++) {
                assertThat(results.get(i).index()).isEqualTo(i);
                assertThat(results.get(i).get(0)).isEqualTo(i);
                assertThat(results.get(i).get(2)).isEqualTo(i * 10);
            }
        }
    }

    @Test
    void imapUnorderedYieldsEveryResultOnceAndThePoolServesSeveralJobs() throws Exception {
        List<List<Double>> args = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            args.add(List.of(i + 0.25));
        }
        try (Pool pool = Pool.start(new PoolOptions().task(ShuffledTask.class.getName()).workers(2))) {
            assertThat(pool.awaitWorkers(2, 60, TimeUnit.SECONDS)).isTrue();
            List<Long> pidsBefore = pool.localWorkerPids();
            Set<Long> indexes = new HashSet<>();
            Iterator<TaskResult> it = pool.imapUnordered(args);
            while (it.hasNext()) {
                TaskResult r = it.next();
                assertThat(indexes.add(r.index())).isTrue();
                assertThat(r.get(2)).isEqualTo(r.index() + 0.25);
            }
            assertThat(indexes).hasSize(20);
            List<TaskResult> again = pool.map(args.subList(0, 5));
            assertThat(again).extracting(TaskResult::index).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(pool.localWorkerPids()).containsExactlyInAnyOrderElementsOf(pidsBefore);
        }
    }
}
