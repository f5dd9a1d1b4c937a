package io.jvmpool.pool;

import java.util.Arrays;

/** A first-in, first-out queue of longs without boxing: the task indexes a worker holds, in the order sent. */
final class LongQueue {
    private long[] items = new long[16];
    private int head;
    private int size;

    void add(long value) {
        if (size == items.length) {
            long[] bigger = new long[items.length * 2];
            for (int i = 0; i < size; i++) {
                bigger[i] = items[(head + i) % items.length];
            }
            items = bigger;
            head = 0;
        }
        items[(head + size++) % items.length] = value;
    }

    /** Adds in front, to be taken first. */
    void addFirst(long value) {
        if (size == items.length) {
            add(value); // grow; the value is overwritten below
            size--;
        }
        head = (head - 1 + items.length) % items.length;
        items[head] = value;
        size++;
    }

    /** The {@code i}-th item from the front. */
    long get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return items[(head + i) % items.length];
    }

    long peek() {
        if (size == 0) {
            throw new IllegalStateException("empty");
        }
        return items[head];
    }

    long poll() {
        long value = peek();
        head = (head + 1) % items.length;
        size--;
        return value;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Takes every item out, oldest first. */
    long[] drain() {
        long[] out = new long[size];
        for (int i = 0; i < out.length; i++) {
            out[i] = poll();
        }
        return out;
    }

    @Override
    public String toString() {
        long[] copy = new long[size];
        for (int i = 0; i < size; i++) {
            copy[i] = items[(head + i) % items.length];
        }
        return Arrays.toString(copy);
    }
}
