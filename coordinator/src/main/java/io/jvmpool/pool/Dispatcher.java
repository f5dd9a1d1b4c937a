package io.jvmpool.pool;

import io.jvmpool.proto.CoordinatorMessage;
import io.jvmpool.proto.TaskBatch;

/**
 * Sends a worker the next tasks of the queue, as many as {@link MessageSizing} lets it hold: a
 * suspect alone (so that a task that kills workers is told apart), then handed-back tasks, then
 * fresh ones. Called under the scheduler's lock while a job runs.
 */
final class Dispatcher {
    private final TaskQueue queue;
    private final MessageSizing sizing;
    private final JobStats stats;

    Dispatcher(TaskQueue queue, MessageSizing sizing, JobStats stats) {
        this.queue = queue;
        this.sizing = sizing;
        this.stats = stats;
    }

    /** Sends {@code s} tasks until it holds as many as it should; false when its stream is gone. */
    boolean fill(WorkerSession s, int workers) {
        while (s.isOpen() && s.isReady()) {
            HeldTasks held = s.held();
            if (s.isolating() || queue.hasSuspect() && !held.isEmpty()) {
                return true; // a suspect runs alone on an idle worker, with nothing queued behind it
            }
            long left = queue.left();
            int size = sizing.messageSize(s.taskNanos(), left, workers);
            if (held.size() >= MessageSizing.mayHold(s.taskNanos(), size, left, workers)) {
                return true;
            }
            TaskBatch.Builder batch = TaskBatch.newBuilder();
            boolean idle = held.isEmpty();
            if (queue.hasSuspect()) {
                long index = queue.nextSuspect();
                batch.setFirst(index).setCount(1);
                held.add(index, 1);
                s.isolate(true);
            } else if (queue.hasRetry()) {
                while (batch.getIndexCount() < size && queue.hasRetry()) {
                    long index = queue.nextRetry();
                    batch.addIndex(index);
                    held.add(index, 1);
                }
            } else if (queue.hasFresh()) {
                long first = queue.nextFresh();
                int count = queue.takeFresh(size);
                batch.setFirst(first).setCount(count);
                held.add(first, count);
            } else {
                return true;
            }
            queue.source().appendArgs(batch);
            if (!s.send(CoordinatorMessage.newBuilder().setTasks(batch).build())) {
                return false;
            }
            // an idle worker starts on this message's first task at once
            s.tally().busy(idle ? (batch.getIndexCount() > 0 ? batch.getIndex(0) : batch.getFirst()) : -1);
            stats.handedOut();
        }
        return true;
    }
}
