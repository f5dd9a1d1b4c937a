package io.jvmpool.pool;

import io.jvmpool.proto.CoordinatorMessage;
import io.jvmpool.proto.RowFile;
import io.jvmpool.proto.RowFiles;
import io.jvmpool.proto.TaskChunk;
import io.jvmpool.rows.InPlaceBatch;
import io.jvmpool.shared.Wire;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Tells one local worker where the rows of the tasks it is about to be sent go, so that it writes
 * them into the batch files itself: before a chunk, the {@link RowFiles} of each batch of the chunk
 * that the job's sink has files for and that this worker was not told of yet. Used by the worker's
 * {@link Outbox} as it sends, one thread at a time, with no lock of the scheduler's held.
 */
final class InPlaceOffers {
    private final SinkCalls sinks;
    /** The batch files this worker was told of: only the latest few, as the worker itself keeps only those. */
    private final Set<InPlaceBatch> told = Collections.newSetFromMap(new IdentityHashMap<>());

    InPlaceOffers(SinkCalls sinks) {
        this.sinks = sinks;
    }

    /** Sends, through {@code send}, the RowFiles the worker needs before {@code chunk}. */
    void offer(TaskChunk chunk, ResultSink sink, Consumer<CoordinatorMessage> send) {
        if (chunk.getIndexCount() > 0) {
            for (long index : chunk.getIndexList()) {
                offer(sinks.inPlace(sink, index), send);
            }
            return;
        }
        long end = chunk.getFirst() + chunk.getCount();
        for (long index = chunk.getFirst(); index < end; ) {
            InPlaceBatch files = sinks.inPlace(sink, index);
            if (files == null) {
                return; // the rest travel as data
            }
            offer(files, send);
            index = files.firstTask() + files.rows();
        }
    }

    private void offer(InPlaceBatch files, Consumer<CoordinatorMessage> send) {
        if (files == null) {
            return;
        }
        if (told.size() >= Wire.ROW_FILES_KEPT) {
            told.clear();
        }
        if (!told.add(files)) {
            return;
        }
        RowFiles.Builder message = RowFiles.newBuilder().setFirst(files.firstTask()).setCount(files.rows());
        for (InPlaceBatch.File f : files.files()) {
            RowFile.Builder file = RowFile.newBuilder().setPath(f.path().toString()).setDataStart(f.dataStart());
            for (int d : f.rowShape()) {
                file.addShape(d);
            }
            message.addFiles(file);
        }
        send.accept(CoordinatorMessage.newBuilder().setRowFiles(message).build());
    }
}
