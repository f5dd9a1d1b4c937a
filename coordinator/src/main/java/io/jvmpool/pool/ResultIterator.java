package io.jvmpool.pool;

import io.jvmpool.rows.TaskRows;
import io.jvmpool.args.ArgStream;
import io.jvmpool.rows.DType;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The results of {@link Pool#imap} or {@link Pool#imapUnordered}: a thread of its own reads the
 * caller's arguments into the job as the reader takes results, never more than a bound ahead, so
 * that an endless or huge {@code Iterable} runs in flat memory. A task that throws ends the job;
 * its exception comes out of {@link #next()} in its place.
 */
final class ResultIterator implements Iterator<TaskResult>, ResultSink {
    private final boolean ordered;
    private final java.util.List<DType> dtypes;
    private final ArgStream args;
    /** Results not yet taken: in arrival order, or by index for an ordered iterator. */
    private final ArrayDeque<Object> arrived = new ArrayDeque<>();
    private final Map<Long, Object> byIndex = new HashMap<>();
    /** Results taken so far; for an ordered iterator also the index of the next one. */
    private long taken;
    private boolean inputDone;
    private boolean jobEnded;
    /** Why the job ended early (a task failed, the arguments could not be read), thrown once from next(). */
    private RuntimeException failure;
    private boolean failureThrown;

    ResultIterator(boolean ordered, java.util.List<DType> dtypes, ArgStream args) {
        this.ordered = ordered;
        this.dtypes = dtypes;
        this.args = args;
    }

    /** Runs on the iterator's own thread: starts the job, reads the arguments into it, waits for its end. */
    void feed(Scheduler scheduler, Iterable<? extends List<?>> input) {
        try {
            scheduler.begin(args, this, new java.util.BitSet());
            try {
                for (List<?> row : input) {
                    if (args.add(row) < 0) {
                        break; // the job ended early
                    }
                    scheduler.fed();
                }
            } catch (RuntimeException e) {
                scheduler.fail("the arguments could not be read: " + e);
                ended(new IllegalStateException("the arguments could not be read: " + e, e));
            }
            synchronized (this) {
                inputDone = true;
            }
            args.close();
            scheduler.fed();
            scheduler.awaitJob();
            ended(null);
        } catch (JobFailedException e) {
            ended(new IllegalStateException(e.getMessage(), e));
        } catch (InterruptedException e) {
            ended(new IllegalStateException("interrupted", e));
        }
    }

    private synchronized void ended(RuntimeException why) {
        if (failure == null) {
            failure = why;
        }
        jobEnded = true;
        args.close();
        notifyAll();
    }

    @Override
    public synchronized void accept(long first, TaskRows rows) {
        for (int i = 0; i < rows.count(); i++) {
            arrive(first + i, new TaskResult(first + i, dtypes, rows, i));
        }
    }

    @Override
    public synchronized void failed(TaskError error) {
        TaskFailedException e = new TaskFailedException(error);
        arrive(error.index(), e);
        throw e; // ends the job: the rest is not run
    }

    private void arrive(long index, Object outcome) {
        if (ordered) {
            byIndex.put(index, outcome);
        } else {
            arrived.add(outcome);
        }
        notifyAll();
    }

    @Override
    public synchronized boolean hasNext() {
        while (true) {
            if (failureThrown) {
                return false;
            }
            if (ordered ? byIndex.containsKey(taken) : !arrived.isEmpty()) {
                return true;
            }
            if (jobEnded) {
                return failure != null;
            }
            if (inputDone && taken == args.added()) {
                return false;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    @Override
    public synchronized TaskResult next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Object outcome = ordered ? byIndex.remove(taken) : arrived.poll();
        if (outcome == null) { // the job ended before this result came
            failureThrown = true;
            throw failure;
        }
        if (outcome instanceof TaskFailedException e) {
            failureThrown = true;
            throw e;
        }
        taken++;
        args.consumed(1);
        return (TaskResult) outcome;
    }
}
