package io.jvmpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvmpool.testing.TaskJars;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One pool, several tasks one after another on the same worker JVMs: what a warm pool does between jobs. */
public class RetaskTest {
    /** Counts its calls in a static field, and says which JVM ran it: the static must start at 0 in each job. */
    public static final String COUNTING = """
            package org.me;
            import io.jvmpool.api.*;
            import java.util.Map;
            public class Counting implements Task {
                static int calls;
                private double offset;
                public void setup(Map<String, String> p) { offset = Double.parseDouble(p.getOrDefault("offset", "0")); }
                public void compute(long index, Args args, Outputs out) {
                    out.set(0, ++calls);
                    out.set(1, ProcessHandle.current().pid());
                    out.set(2, offset + index);
                }
            }
            """;

    /** Starts a thread that outlives its task: the worker must be replaced before the next job. */
    static final String LEAKING = """
            package org.me;
            import io.jvmpool.api.*;
            public class Leaking implements Task {
                public void compute(long index, Args args, Outputs out) {
                    Thread t = new Thread(() -> { try { Thread.sleep(600_000); } catch (InterruptedException e) { } });
                    t.setDaemon(true);
                    t.start();
                    out.set(0, ProcessHandle.current().pid());
                }
            }
            """;

    @TempDir
    Path dir;

    private static List<List<?>> rows(int n) {
        return java.util.Collections.nCopies(n, List.of());
    }

    @Test
    void eachJobGetsItsOwnTaskOnTheSameWorkerJvmsWithNoStaticStateLeftOver() throws Exception {
        Path jar = TaskJars.build(dir, "counting", "org.me.Counting", COUNTING);
        PoolOptions first = new PoolOptions().task("org.me.Counting").taskJars(List.of(jar)).workers(1).outputTypes(
                List.of(io.jvmpool.rows.DType.INT64, io.jvmpool.rows.DType.INT64, io.jvmpool.rows.DType.FLOAT64));
        try (Pool pool = Pool.start(first)) {
            List<TaskResult> one = pool.map(rows(3));
            assertThat(one.stream().map(r -> r.get(0))).containsExactly(1.0, 2.0, 3.0);
            long pid = (long) one.get(0).get(1);

            pool.retask(new PoolOptions().task("org.me.Counting").taskJars(List.of(jar)).workers(1).property("offset", "100")
                    .outputTypes(List.of(io.jvmpool.rows.DType.INT64, io.jvmpool.rows.DType.INT64, io.jvmpool.rows.DType.FLOAT64)));
            List<TaskResult> two = pool.map(rows(2));
            assertThat(two.stream().map(r -> r.get(0))).as("a fresh class loader: the static count starts again").containsExactly(1.0, 2.0);
            assertThat((long) two.get(0).get(1)).as("the same worker JVM").isEqualTo(pid);
            assertThat(two.stream().map(r -> r.get(2))).as("the new job's -P properties").containsExactly(100.0, 101.0);

            pool.retask(new PoolOptions().task("trivial").workers(1));
            TaskResult trivial = pool.map(List.of(List.of(1, 2, 3, 4))).get(0);
            assertThat(trivial.get(2)).as("another task, its own dtype: float32").isEqualTo(7.0);
            assertThat(pool.snapshot().workers().get(0).tasksDone()).as("what a worker did counts from the retask").isEqualTo(1);
        }
    }

    @Test
    void everyWorkerTakesTasksAfterARetask() throws Exception {
        try (Pool pool = Pool.start(new PoolOptions().task("seed").property("loop", "1000").workers(2))) {
            pool.map(java.util.Collections.nCopies(200, List.of(1, 2, 3, 4))); // tasks of microseconds: messages of many

            pool.idle(); // as a warm pool is between jobs
            Thread.sleep(1500);
            pool.retask(new PoolOptions().task("burn").workers(2));
            pool.map(java.util.Collections.nCopies(16, List.of(100)));
            assertThat(pool.snapshot().workers()).as("both workers share the job after the retask (neither is sent the seed's message sizes)")
                    .allMatch(w -> w.tasksDone() >= 5);
        }
    }

    @Test
    void aWorkerWhoseTaskLeftThreadsRunningIsReplacedByAFreshJvm() throws Exception {
        Path jar = TaskJars.build(dir, "leaking", "org.me.Leaking", LEAKING);
        try (Pool pool = Pool.start(new PoolOptions().task("org.me.Leaking").taskJars(List.of(jar)).workers(1).outputs(1))) {
            long leaker = (long) pool.map(rows(1)).get(0).get(0);
            pool.retask(new PoolOptions().task("org.me.Leaking").taskJars(List.of(jar)).workers(1).outputs(1));
            Set<Long> pids = new HashSet<>();
            for (TaskResult r : pool.map(rows(2))) {
                pids.add((long) r.get(0));
            }
            assertThat(pids).as("the next job ran in a fresh JVM").doesNotContain(leaker).hasSize(1);
        }
    }

    @Test
    void aPoolRefusesAJobThatNeedsOtherWorkers() throws Exception {
        try (Pool pool = Pool.start(new PoolOptions().task("trivial").workers(1))) {
            assertThatThrownBy(() -> pool.retask(new PoolOptions().task("trivial").workers(2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers 2 instead of the pool's 1");
            assertThatThrownBy(() -> pool.retask(new PoolOptions().task("org.me.Missing").workers(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no task named");
            assertThat(pool.map(List.of(List.of(1, 2, 3, 4))).get(0).get(2)).as("still usable").isEqualTo(7.0);
        }
    }
}
