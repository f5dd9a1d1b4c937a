package com.example.library;

import io.jvmpool.pool.Pool;
import io.jvmpool.pool.PoolOptions;
import io.jvmpool.pool.TaskResult;
import java.util.Iterator;
import java.util.List;

/** Runs the seed task on two worker JVMs: once in the order of the arguments, once as results finish. */
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
        }
    }
}
