package io.jvmpool.pool;

import io.jvmpool.output.InPlaceBatch;
import io.jvmpool.proto.CoordinatorMessage;
import io.jvmpool.proto.RowFile;
import io.jvmpool.proto.RowFiles;
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

    /**
     * Sends {@code s} tasks until it holds as many as it should; false when its stream is gone. A
     * worker on this machine is first told where the rows of those tasks go, if the sink has files
     * for them, so that it writes them itself.
     */
    boolean fill(WorkerSession s, int workers, ResultSink sink) {
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
            if (s.isLocal() && !offerFiles(s, batch, sink)) {
                return false;
            }
            if (!s.send(CoordinatorMessage.newBuilder().setTasks(batch).build())) {
                return false;
            }
            // an idle worker starts on this message's first task at once
            s.tally().busy(idle ? (batch.getIndexCount() > 0 ? batch.getIndex(0) : batch.getFirst()) : -1);
            stats.handedOut();
        }
        return true;
    }

    /** Tells a local worker of the files of the message's batches that it was not told of yet. */
    private static boolean offerFiles(WorkerSession s, TaskBatch.Builder batch, ResultSink sink) {
        if (batch.getIndexCount() > 0) {
            for (long index : batch.getIndexList()) {
                if (!offer(s, sink.inPlace(index))) {
                    return false;
                }
            }
            return true;
        }
        long end = batch.getFirst() + batch.getCount();
        for (long index = batch.getFirst(); index < end; ) {
            InPlaceBatch files = sink.inPlace(index);
            if (files == null) {
                break; // the rest travel as data
            }
            if (!offer(s, files)) {
                return false;
            }
            index = files.firstTask() + files.rows();
        }
        return true;
    }

    private static boolean offer(WorkerSession s, InPlaceBatch files) {
        if (files == null || !s.tellFiles(files)) {
            return true;
        }
        RowFiles.Builder message = RowFiles.newBuilder().setFirst(files.firstTask()).setCount(files.rows());
        for (InPlaceBatch.File f : files.files()) {
            RowFile.Builder file = RowFile.newBuilder().setPath(f.path().toString()).setDataStart(f.dataStart());
            for (int d : f.rowShape()) {
                file.addShape(d);
            }
            message.addFiles(file);
        }
        return s.send(CoordinatorMessage.newBuilder().setRowFiles(message).build());
    }
}
