package io.jvmpool.pool;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers that large messages are read into, lent to one message at a time and reused once
 * every holder has given it back. Allocating a fresh 4 MiB array per message cost the coordinator
 * more than the rest of receiving it: zeroing it, and faulting in memory the process had not touched
 * yet.
 *
 * <p>The buffers, lent and kept, stay within a bound: when it is reached, the next message waits
 * (on its network thread, so its worker's stream waits too) until the batch writer gives a buffer
 * back. That is the coordinator's back-pressure when workers send faster than the disk takes it. A
 * wait is short ({@link #MAX_WAIT_MILLIS}); after it, a buffer is allocated beyond the bound, so a
 * loan never given back (a job abandoned with rows still queued) costs reuse, never progress.
 */
final class MessageBuffers {
    static final long MAX_WAIT_MILLIS = 200;
    private final long maxBytes;
    private final List<ByteBuffer> kept = new ArrayList<>();
    /** Bytes of every buffer, lent or kept. */
    private long bytes;

    MessageBuffers(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * A buffer of at least {@code size} bytes, its position 0 and limit {@code size}, held once by the
     * caller; or null when no direct memory is left (the caller then does without).
     */
    Loan lend(int size) throws InterruptedException {
        int capacity = roundUp(size);
        ByteBuffer buffer = takeOrReserve(size, capacity);
        if (buffer == null) {
            try {
                buffer = ByteBuffer.allocateDirect(capacity);
            } catch (OutOfMemoryError e) { // -XX:MaxDirectMemorySize reached: parse on the heap instead
                forget(capacity);
                return null;
            }
        }
        return new Loan(buffer.clear().limit(size));
    }

    /** Bytes of all buffers, lent or kept for reuse. */
    synchronized long bytes() {
        return bytes;
    }

    /**
     * The smallest kept buffer that holds {@code size} bytes; else null, with {@code capacity} bytes
     * reserved for a new one. Kept buffers too small are dropped first (messages grow as a worker
     * learns its tasks' speed); while the bound is reached, waits for a buffer to come back.
     */
    private synchronized ByteBuffer takeOrReserve(int size, int capacity) throws InterruptedException {
        long deadline = System.nanoTime() + MAX_WAIT_MILLIS * 1_000_000;
        while (true) {
            ByteBuffer best = null;
            for (ByteBuffer b : kept) {
                if (b.capacity() >= size && (best == null || b.capacity() < best.capacity())) {
                    best = b;
                }
            }
            if (best != null) {
                kept.remove(best);
                return best;
            }
            for (ByteBuffer small : kept) {
                bytes -= small.capacity();
            }
            kept.clear();
            long left = deadline - System.nanoTime();
            if (bytes + capacity <= maxBytes || bytes == 0 || left <= 0) {
                bytes += capacity;
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private synchronized void forget(long capacity) {
        bytes -= capacity;
        notifyAll();
    }

    private synchronized void giveBack(ByteBuffer buffer) {
        if (bytes <= maxBytes) {
            kept.add(buffer);
        } else {
            bytes -= buffer.capacity(); // allocated past the bound: left to the garbage collector
        }
        notifyAll();
    }

    /** Sizes rounded up to 256 KiB, so that messages of about the same size share buffers. */
    private static int roundUp(int size) {
        int unit = 256 << 10;
        return (int) Math.min(Integer.MAX_VALUE - 8, ((long) size + unit - 1) / unit * unit);
    }

    /** One message's buffer, and who still holds it. */
    final class Loan {
        private final ByteBuffer buffer;
        private final AtomicInteger holders = new AtomicInteger(1);

        private Loan(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        ByteBuffer buffer() {
            return buffer;
        }

        /** One more holder; the action it returns lets go of the buffer (running it again does nothing). */
        Runnable hold() {
            holders.incrementAndGet();
            AtomicBoolean released = new AtomicBoolean();
            return () -> {
                if (released.compareAndSet(false, true)) {
                    release();
                }
            };
        }

        /** The first holder lets go; the last one to let go gives the buffer back for reuse. */
        void release() {
            if (holders.decrementAndGet() == 0) {
                giveBack(buffer);
            }
        }
    }
}
