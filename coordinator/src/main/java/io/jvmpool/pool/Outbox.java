package io.jvmpool.pool;

import io.jvmpool.proto.CoordinatorMessage;
import java.util.ArrayDeque;

/**
 * The messages one worker is to be sent, in order. The scheduler queues them under its lock; they
 * are sent after it is released, by {@link #flush}: whichever thread flushes first sends everything
 * queued, one message at a time (gRPC's stream observers are not thread-safe), while a thread that
 * flushes meanwhile only leaves its messages to it (the drain loop of grpc-java's
 * {@code SerializingExecutor}). So no thread sends while it holds the scheduler's lock, and no
 * message overtakes another.
 */
final class Outbox {
    /** What a queued message asks for besides being sent. */
    private record Queued(CoordinatorMessage message, ResultSink inPlaceFrom, boolean last) {
    }

    private final WorkerLink link;
    /** Set once (or from the start) for a worker that writes its rows into the batch files itself. */
    private volatile InPlaceOffers offers;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    /** A thread is sending what is queued. */
    private boolean draining;
    /** Nothing more is queued: the stream is ended, or was found broken. */
    private boolean closed;
    private boolean broken;

    /** @param offers tells a local worker of the batch files of the tasks it is sent; null for a remote worker */
    Outbox(WorkerLink link, InPlaceOffers offers) {
        this.link = link;
        this.offers = offers;
    }

    /** From now on the worker is told where the rows of its tasks go (it proved it sees the batch files), or not (null). */
    synchronized void allowInPlace(InPlaceOffers inPlace) {
        offers = inPlace;
    }

    /** Queues a message. */
    synchronized void add(CoordinatorMessage message) {
        if (!closed) {
            queue.add(new Queued(message, null, false));
        }
    }

    /** Queues tasks; a local worker is first told where their rows go, if {@code sink} has files for them. */
    synchronized void addTasks(CoordinatorMessage tasks, ResultSink sink) {
        if (!closed) {
            queue.add(new Queued(tasks, offers == null ? null : sink, false));
        }
    }

    /** Queues the end of the stream, after a goodbye that says why (null: none); nothing is queued after it. */
    synchronized void close(String goodbye) {
        if (!closed) {
            if (goodbye != null) {
                queue.add(new Queued(CoordinatorMessage.newBuilder().setGoodbye(goodbye).build(), null, false));
            }
            queue.add(new Queued(null, null, true));
            closed = true;
        }
    }

    /** Sends what is queued, unless another thread is at it; false when the stream turned out to be gone. */
    boolean flush() {
        synchronized (this) {
            if (draining) {
                return !broken;
            }
            draining = true;
        }
        while (true) {
            Queued next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    draining = false;
                    return !broken;
                }
            }
            send(next);
        }
    }

    /** Called only by the draining thread, with no lock held. */
    private void send(Queued q) {
        try {
            if (q.last()) {
                link.close();
                return;
            }
            if (q.inPlaceFrom() != null) {
                offers.offer(q.message().getTasks(), q.inPlaceFrom(), this::sendNow);
            }
            sendNow(q.message());
        } catch (RuntimeException e) { // the call was cancelled under us: its cancel handler reports the worker gone
            synchronized (this) {
                broken = true;
                closed = true;
                queue.clear();
            }
        }
    }

    private void sendNow(CoordinatorMessage message) {
        link.send(message);
    }
}
