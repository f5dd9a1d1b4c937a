package io.jvmpool.pool;

import io.jvmpool.rows.TaskRows;
import io.jvmpool.args.ArgStream;
import io.jvmpool.rows.DType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Tasks submitted one by one ({@link Pool#submit}) that run as one job, each with its future. The
 * job ends as soon as every task submitted so far is finished; the next submit starts another.
 */
final class Submissions implements ResultSink {
    private final Scheduler scheduler;
    private final List<DType> dtypes;
    private final ArgStream args = ArgStream.open();
    private final Map<Long, CompletableFuture<TaskResult>> pending = new HashMap<>();

    Submissions(Scheduler scheduler, List<DType> dtypes) {
        this.scheduler = scheduler;
        this.dtypes = dtypes;
    }

    /** Adds a task to this job; null when the job has ended and takes no more. */
    synchronized CompletableFuture<TaskResult> add(List<?> row) throws InterruptedException {
        long index = args.add(row);
        if (index < 0) {
            return null;
        }
        CompletableFuture<TaskResult> future = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                if (cancelled) {
                    scheduler.cancel(args, index);
                }
                return cancelled;
            }
        };
        pending.put(index, future);
        return future;
    }

    /** Runs on a thread of its own: the job, until its last task is finished. */
    void run() {
        try {
            scheduler.begin(args, this, new java.util.BitSet());
            scheduler.fed();
            scheduler.awaitJob();
        } catch (JobFailedException | InterruptedException e) {
            failAll(e);
        }
    }

    private synchronized void failAll(Exception e) {
        pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException(e.getMessage(), e)));
        pending.clear();
        args.close();
    }

    @Override
    public synchronized void accept(long first, TaskRows rows) {
        for (int i = 0; i < rows.count(); i++) {
            CompletableFuture<TaskResult> f = pending.remove(first + i);
            if (f != null) {
                f.complete(new TaskResult(first + i, dtypes, rows, i));
            }
        }
    }

    @Override
    public synchronized void failed(TaskError error) {
        CompletableFuture<TaskResult> f = pending.remove(error.index());
        if (f != null) {
            f.completeExceptionally(new TaskFailedException(error));
        }
    }
}
