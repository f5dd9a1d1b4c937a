package io.jvmpool.pool;

import io.jvmpool.proto.CoordinatorMessage;
import io.jvmpool.proto.TaskChunk;

/**
 * Gives a worker the next tasks of the queue, as many as {@link MessageSizing} lets it hold: a
 * suspect alone (so that a task that kills workers is told apart), then handed-back tasks, then
 * fresh ones. Called under the scheduler's lock while a job runs; the chunks are queued on the
 * worker's outbox and sent once the lock is released.
 */
final class Dispatcher {
    private final TaskQueue queue;
    private final MessageSizing sizing;
    private final JobStats stats;
    /** Tasks a local worker is handed before it retires (0: no limit). */
    private final int maxTasksPerWorker;

    Dispatcher(TaskQueue queue, MessageSizing sizing, JobStats stats, int maxTasksPerWorker) {
        this.queue = queue;
        this.sizing = sizing;
        this.stats = stats;
        this.maxTasksPerWorker = maxTasksPerWorker;
    }

    /**
     * Queues chunks of tasks for {@code s} until it holds as many as it should. A worker on this
     * machine is told, as they are sent, where the rows of those tasks go, if {@code sink} has files
     * for them, so that it writes them itself.
     */
    void fill(WorkerSession s, int workers, ResultSink sink) {
        while (s.isOpen() && s.isReady() && !s.retiring()) {
            HeldTasks held = s.held();
            if (s.isolating() || queue.hasSuspect() && !held.isEmpty()) {
                return; // a suspect runs alone on an idle worker, with nothing queued behind it
            }
            long left = queue.left();
            int size = sizing.messageSize(s.taskNanos(), left, workers);
            boolean recycled = maxTasksPerWorker > 0 && s.isLocal();
            if (recycled && s.handedOut() >= maxTasksPerWorker) {
                if (left > 0) {
                    s.retire(); // it ran its tasks and there is work for its replacement
                }
                return;
            }
            if (recycled) {
                size = (int) Math.min(size, maxTasksPerWorker - s.handedOut());
            }
            if (held.size() >= MessageSizing.mayHold(s.taskNanos(), size, left, workers)) {
                return;
            }
            TaskChunk.Builder chunk = TaskChunk.newBuilder();
            boolean idle = held.isEmpty();
            if (queue.hasSuspect()) {
                long index = queue.nextSuspect();
                chunk.setFirst(index).setCount(1);
                held.add(index, 1);
                s.isolate(true);
            } else if (queue.hasRetry()) {
                while (chunk.getIndexCount() < size && queue.hasRetry()) {
                    long index = queue.nextRetry();
                    chunk.addIndex(index);
                    held.add(index, 1);
                }
            } else if (queue.hasFresh()) {
                long first = queue.nextFresh();
                int count = queue.takeFresh(size);
                chunk.setFirst(first).setCount(count);
                held.add(first, count);
            } else {
                return;
            }
            queue.source().appendArgs(chunk);
            s.handedOut(chunk.getIndexCount() > 0 ? chunk.getIndexCount() : chunk.getCount());
            if (recycled && s.handedOut() >= maxTasksPerWorker && queue.left() > 0) {
                s.retire(); // its last task: the replacement starts now, while it runs it (none when no work is left)
            }
            s.queueTasks(CoordinatorMessage.newBuilder().setTasks(chunk).build(), sink);
            // an idle worker starts on this chunk's first task at once
            s.tally().busy(idle ? (chunk.getIndexCount() > 0 ? chunk.getIndex(0) : chunk.getFirst()) : -1);
            stats.handedOut();
        }
    }
}
