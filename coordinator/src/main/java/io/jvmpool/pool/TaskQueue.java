package io.jvmpool.pool;

import io.jvmpool.args.ArgSource;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * What is left of a job to hand out, in the order it goes: tasks that were running when their
 * worker was lost (suspects, each alone), other tasks handed back by a lost worker (retries), then
 * fresh tasks in index order. Keeps which tasks are finished and how often each took a worker down.
 * Guarded by the scheduler's lock.
 */
final class TaskQueue {
    private ArgSource source;
    private long nextFresh;
    private final ArrayDeque<Long> retries = new ArrayDeque<>();
    private final ArrayDeque<Long> suspects = new ArrayDeque<>();
    private final Map<Long, Integer> attempts = new HashMap<>();
    private BitSet finished = new BitSet();
    private long finishedCount;
    /** Tasks cancelled before their job began, by job. */
    private final Map<ArgSource, BitSet> cancelledEarly = new java.util.IdentityHashMap<>();

    /** Starts a job whose arguments come from {@code source}; tasks in {@code alreadyDone} are not run. */
    void begin(ArgSource jobSource, BitSet alreadyDone) {
        if (jobSource.available() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a job holds at most " + Integer.MAX_VALUE + " tasks");
        }
        source = jobSource;
        finished = (BitSet) alreadyDone.clone();
        BitSet cancelled = cancelledEarly.remove(jobSource);
        if (cancelled != null) {
            finished.or(cancelled);
        }
        finishedCount = finished.cardinality();
        nextFresh = 0;
        retries.clear();
        suspects.clear();
        attempts.clear();
        skipFinished();
    }

    /** Task {@code index} of a job that has not begun is cancelled: it is skipped when the job begins. */
    void cancelBeforeBegin(ArgSource job, long index) {
        cancelledEarly.computeIfAbsent(job, j -> new BitSet()).set((int) index);
    }

    ArgSource source() {
        return source;
    }

    /** The tasks known so far. */
    long total() {
        return source == null ? 0 : source.available();
    }

    long finishedCount() {
        return finishedCount;
    }

    boolean isFinished(long index) {
        return finished.get((int) index);
    }

    /** Every task is finished and no more will come. */
    boolean over() {
        return source.endsAt(finishedCount);
    }

    /** Tasks not yet handed out (a measure for sizing the last messages). */
    long left() {
        return total() - nextFresh + retries.size();
    }

    boolean hasSuspect() {
        dropFinished(suspects);
        return !suspects.isEmpty();
    }

    long nextSuspect() {
        return suspects.pollFirst();
    }

    boolean hasRetry() {
        dropFinished(retries);
        return !retries.isEmpty();
    }

    long nextRetry() {
        return retries.pollFirst();
    }

    boolean hasFresh() {
        return nextFresh < total();
    }

    long nextFresh() {
        return nextFresh;
    }

    /** Takes the next fresh tasks, at most {@code max} and of one shape of arguments; returns how many. */
    int takeFresh(int max) {
        long first = nextFresh;
        int run = source.run(first, max);
        while (nextFresh - first < run && nextFresh < total() && !finished.get((int) nextFresh)) {
            nextFresh++;
        }
        int taken = (int) (nextFresh - first);
        skipFinished();
        return taken;
    }

    /** One more time {@code index} took a worker down; returns how many times it has. */
    int attempt(long index) {
        return attempts.merge(index, 1, Integer::sum);
    }

    /**
     * Hands back what a lost worker held: {@code culprit} (the task it was running, or -1 for none
     * to blame) goes out again alone, the others first in line, in their order.
     */
    void handBack(long[] held, long culprit) {
        for (int i = held.length - 1; i >= 0; i--) {
            if (held[i] != culprit && !isFinished(held[i])) {
                retries.addFirst(held[i]);
            }
        }
        if (culprit >= 0 && !isFinished(culprit)) {
            suspects.addLast(culprit);
        }
    }

    /** Marks tasks {@code first ..} finished; returns how many of them were not finished before. */
    int finish(long first, int count) {
        int before = finished.get((int) first, (int) first + count).cardinality();
        finished.set((int) first, (int) first + count);
        for (long i = first; i < first + count; i++) {
            source.finished(i);
        }
        finishedCount += count - before;
        skipFinished();
        return count - before;
    }

    /** Moves the fresh cursor past tasks already finished (a resumed job, a cancelled task). */
    private void skipFinished() {
        while (nextFresh < total() && finished.get((int) nextFresh)) {
            nextFresh++;
        }
    }

    private void dropFinished(ArrayDeque<Long> tasks) {
        while (!tasks.isEmpty() && isFinished(tasks.peekFirst())) {
            tasks.pollFirst();
        }
    }
}
