package com.example.library;

import io.jvmpool.pool.Pool;
import io.jvmpool.pool.PoolOptions;
import io.jvmpool.pool.TaskResult;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

/** Runs the seed task on two worker JVMs: in order, as results finish, over lazy input, and one by one. */
public class SquaresWithPool {
    public static void main(String[] args) throws Exception {
        List<List<Integer>> rows = List.of(List.of(1, 2, 3, 4), List.of(5, 6, 7, 8), List.of(9, 10, 11, 12));
        try (Pool pool = Pool.start(new PoolOptions().task("seed").property("loop", "1000").outputs(3).workers(2))) {
            List<TaskResult> inOrder = pool.map(rows);                      // like Python's Pool.map
            for (TaskResult r : inOrder) {
                System.out.println("task " + r.index() + ": label " + r.get(0) + ", maybeother " + r.get(2));
            }
            Iterator<TaskResult> asTheyFinish = pool.imapUnordered(rows);   // like Pool.imap_unordered
            while (asTheyFinish.hasNext()) {
                TaskResult r = asTheyFinish.next();
                System.out.println("finished: task " + r.index() + " -> " + r.get(2));
            }
            // like Pool.imap: the rows are made as the workers need them, at most 1000 ahead of the results read
            Iterable<List<Long>> lazy = () -> LongStream.range(0, 100_000).mapToObj(i -> List.of(i, 1L, 1L, 1L)).iterator();
            double sum = 0;
            for (Iterator<TaskResult> it = pool.imap(lazy, 1000); it.hasNext(); ) {
                sum += it.next().get(0);
            }
            System.out.println("sum of 100000 labels: " + sum);
            CompletableFuture<TaskResult> one = pool.submit(List.of(2, 3, 4, 5));   // like Pool.apply_async
            System.out.println("submitted: " + one.get().get(2));
        }
    }
}
