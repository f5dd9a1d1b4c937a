package io.jvmpool.bench;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;
import io.jvmpool.tasks.BurnTask;
import io.jvmpool.tasks.SeedTask;
import io.jvmpool.tasks.TrivialTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The same built-in tasks run in one JVM, as a plain loop or on a thread pool with one thread per
 * core: the in-process limit that separate worker processes pay a little to approach. Prints one
 * JSON line, like {@code shared/anchors/python_pool.py}.
 *
 * <pre>
 *   JavaReferences seed    loop|threads [LOOP] [TASKS]
 *   JavaReferences burn    loop|threads [MS] [TASKS]
 *   JavaReferences trivial loop|threads [TASKS]
 * </pre>
 */
public final class JavaReferences {

    public static void main(String[] argv) throws Exception {
        String kind = argv[0];
        boolean threads = argv[1].equals("threads");
        int cores = Runtime.getRuntime().availableProcessors();
        Task task;
        double[] args;
        int tasks;
        switch (kind) {
            case "seed" -> {
                task = new SeedTask();
                task.setup(Map.of("loop", argv.length > 2 ? argv[2] : "10000000"));
                args = new double[] {1, 2, 3, 4};
                tasks = argv.length > 3 ? Integer.parseInt(argv[3]) : 20;
            }
            case "burn" -> {
                task = new BurnTask();
                args = new double[] {argv.length > 2 ? Double.parseDouble(argv[2]) : 100};
                tasks = argv.length > 3 ? Integer.parseInt(argv[3]) : 40;
            }
            case "trivial" -> {
                task = new TrivialTask();
                args = new double[] {1, 2, 3, 4};
                tasks = argv.length > 2 ? Integer.parseInt(argv[2]) : 1_000_000;
            }
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        }
        float[][] results = new float[3][tasks];
        long start = System.nanoTime();
        if (threads) {
            ExecutorService pool = Executors.newFixedThreadPool(cores);
            List<Future<?>> futures = new ArrayList<>();
            int per = (tasks + cores - 1) / cores;
            for (int t = 0; t < cores; t++) {
                int from = t * per;
                int to = Math.min(tasks, from + per);
                futures.add(pool.submit(() -> {
                    run(task, args, results, from, to);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
        } else {
            run(task, args, results, 0, tasks);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "{\"anchor\": \"java-%s-%s\", \"threads\": %d, \"tasks\": %d, \"wall_s\": %.4f, \"tasks_per_s\": %.0f}%n",
                kind, threads ? "threads" : "loop", threads ? cores : 1, tasks, wall, tasks / wall);
    }

    /** Runs tasks from..to-1, keeping each output as float32, as the batch arrays do. */
    private static void run(Task task, double[] values, float[][] results, int from, int to) throws Exception {
        Args args = new Args() {
            @Override
            public int size() {
                return values.length;
            }

            @Override
            public boolean isInteger(int i) {
                return values[i] == Math.rint(values[i]);
            }

            @Override
            public long getLong(int i) {
                return (long) values[i];
            }

            @Override
            public double getDouble(int i) {
                return values[i];
            }
        };
        int[] row = new int[1];
        Outputs out = new Outputs() {
            @Override
            public void set(int k, double value) {
                results[k][row[0]] = (float) value;
            }

            @Override
            public void set(int k, long value) {
                results[k][row[0]] = value;
            }

            @Override
            public void set(int k, double[] v, int... shape) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void set(int k, float[] v, int... shape) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void set(int k, int[] v, int... shape) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void set(int k, long[] v, int... shape) {
                throw new UnsupportedOperationException();
            }
        };
        for (int i = from; i < to; i++) {
            row[0] = i;
            task.compute(i, args, out);
        }
    }
}
