package io.jvmpool.pool;

import io.grpc.stub.ServerCallStreamObserver;
import io.jvmpool.proto.CoordinatorMessage;

/**
 * One connected worker as the scheduler sees it: its stream, the tasks it holds (in the order it
 * runs them) and how fast it is. Guarded by the scheduler's lock.
 */
final class WorkerSession {
    final int index;
    final long pid;
    final String host;
    final boolean local;
    final long joinedNanos = System.nanoTime();
    private final ServerCallStreamObserver<CoordinatorMessage> stream;

    /** The indexes of the tasks sent and not yet answered, oldest first: the worker answers in this order. */
    final HeldTasks holding = new HeldTasks();
    /** Moving average of one task's compute time; 0 until the first result. */
    double taskNanos;
    long lastHeard = System.nanoTime();
    long currentTask = -1;
    long currentTaskSince = System.nanoTime();
    /** True while the worker runs a suspect task alone: it gets nothing else until that task answers. */
    boolean isolating;
    /** Set when the worker is killed for running a task too long. */
    boolean timedOut;
    boolean open = true;
    /** The worker has set its task up and takes tasks. */
    boolean ready;
    /** This worker's index's running totals; set when it joins. */
    WorkerTally tally;

    WorkerSession(int index, long pid, String host, boolean local, ServerCallStreamObserver<CoordinatorMessage> stream) {
        this.index = index;
        this.pid = pid;
        this.host = host;
        this.local = local;
        this.stream = stream;
    }

    /** Sends a message; false when the stream is gone. */
    boolean send(CoordinatorMessage message) {
        if (!open) {
            return false;
        }
        try {
            stream.onNext(message);
            return true;
        } catch (RuntimeException e) { // the call was cancelled under us
            open = false;
            return false;
        }
    }

    /** Ends the stream cleanly: the worker exits when it sees the end. */
    void finish() {
        if (open) {
            open = false;
            try {
                stream.onCompleted();
            } catch (RuntimeException e) {
                // already closed by the other side
            }
        }
    }

    /** Ends the stream with a message the worker prints before it exits. */
    void refuse(String reason) {
        if (open) {
            send(CoordinatorMessage.newBuilder().setGoodbye(reason).build());
            finish();
        }
    }

    /** Folds a message's measured work into the estimate of one task's compute time. */
    void recordBatch(int tasks, long computeNanos) {
        double perTask = (double) computeNanos / tasks;
        taskNanos = taskNanos == 0 ? perTask : 0.7 * taskNanos + 0.3 * perTask;
    }

    String name() {
        return "w" + index + (pid > 0 ? " (pid " + pid + (local ? "" : " on " + host) + ")" : "");
    }
}
