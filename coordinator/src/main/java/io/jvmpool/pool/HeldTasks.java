package io.jvmpool.pool;

/**
 * The tasks a worker holds, in the order it was sent them (the order it answers in), kept as runs
 * of consecutive indexes so that a message of many tasks costs one entry, not one per task.
 */
final class HeldTasks {
    /** Pairs (first, count), oldest first. */
    private final LongQueue runs = new LongQueue();
    private long size;

    void add(long first, long count) {
        if (count > 0) {
            runs.add(first);
            runs.add(count);
            size += count;
        }
    }

    long size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The task the worker runs now (the oldest it holds); -1 when it holds none. */
    long first() {
        return size == 0 ? -1 : runs.get(0);
    }

    /** Whether the worker holds task {@code index}. */
    boolean contains(long index) {
        for (int pair = 0; pair < runs.size(); pair += 2) {
            long first = runs.get(pair);
            if (index >= first && index < first + runs.get(pair + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes {@code count} tasks from {@code first} off the front, if that is exactly what the
     * worker owes next; otherwise takes nothing and returns false.
     */
    boolean take(long first, long count) {
        long need = count;
        long next = first;
        for (int pair = 0; need > 0; pair += 2) {
            if (pair + 1 >= runs.size() || runs.get(pair) != next) {
                return false;
            }
            long use = Math.min(runs.get(pair + 1), need);
            need -= use;
            next += use;
        }
        need = count;
        while (need > 0) {
            long runFirst = runs.poll();
            long runCount = runs.poll();
            long use = Math.min(runCount, need);
            if (use < runCount) { // the rest of this run stays at the front
                runs.addFirst(runCount - use);
                runs.addFirst(runFirst + use);
            }
            need -= use;
        }
        size -= count;
        return true;
    }

    /** Every task held, oldest first; empties the list. */
    long[] drain() {
        long[] all = new long[(int) size];
        int i = 0;
        while (!runs.isEmpty()) {
            long first = runs.poll();
            long count = runs.poll();
            for (long t = 0; t < count; t++) {
                all[i++] = first + t;
            }
        }
        size = 0;
        return all;
    }
}
