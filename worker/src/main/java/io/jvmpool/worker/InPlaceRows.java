package io.jvmpool.worker;

import io.jvmpool.proto.RowFile;
import io.jvmpool.shared.Wire;
import io.jvmpool.proto.RowFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The coordinator's batch files, for a worker it started on its own machine: results are written
 * straight into their rows there, and only "these tasks are done" travels over the stream. Any
 * doubt (a task of a batch not announced, another shape, an I/O error, the stream gone) returns
 * false and the results travel as data instead, so this is never the only way. Used on the task
 * thread only; {@link #stop} may come from any thread.
 */
final class InPlaceRows {
    /** Files kept open; batches remembered: {@link Wire.ROW_FILES_KEPT} (older ones fall back to sending). */
    private static final int MAX_OPEN_FILES = 8;

    private final TreeMap<Long, RowFiles> batches = new TreeMap<>();
    private final Map<String, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);
    /** Set when the stream ends: the coordinator may have given this worker's tasks to another. */
    private volatile boolean stopped;

    /** The coordinator announced where a batch's rows go. */
    void add(RowFiles files) {
        batches.put(files.getFirst(), files);
        while (batches.size() > Wire.ROW_FILES_KEPT) {
            batches.pollFirstEntry();
        }
    }

    /** From now on nothing is written: whatever this worker still computes is nobody's result. */
    void stop() {
        stopped = true;
    }

    /**
     * Writes the collected results into their rows, if every one of them has a row announced with
     * the shape it has; true when all were written. Consecutive tasks go in one write per output.
     */
    boolean write(ResultWriter results) {
        int n = results.count();
        if (stopped || n == 0 || batches.isEmpty() || !covers(results)) {
            return false;
        }
        try {
            for (int i = 0; i < n; ) {
                long index = results.index(i);
                RowFiles batch = batches.floorEntry(index).getValue();
                long end = batch.getFirst() + batch.getCount();
                int run = 1;
                while (i + run < n && results.index(i + run) == index + run && index + run < end) {
                    run++;
                }
                for (int k = 0; k < results.outputs(); k++) {
                    RowFile file = batch.getFiles(k);
                    ByteBuffer rows = results.rows(k, i, run);
                    long at = file.getDataStart() + (index - batch.getFirst()) * (rows.remaining() / run);
                    FileChannel channel = channel(file.getPath());
                    while (rows.hasRemaining()) {
                        if (stopped) {
                            return false;
                        }
                        at += channel.write(rows, at);
                    }
                }
                i += run;
            }
            return true;
        } catch (IOException e) {
            return false; // the coordinator writes them (and reports the error if it has it too)
        }
    }

    /** Whether every collected task has its batch announced, with the shapes the task gave. */
    private boolean covers(ResultWriter results) {
        int n = results.count();
        for (int i = 0; i < n; ) {
            long index = results.index(i);
            Map.Entry<Long, RowFiles> e = batches.floorEntry(index);
            RowFiles batch = e == null ? null : e.getValue();
            if (batch == null || index >= batch.getFirst() + batch.getCount() || batch.getFilesCount() != results.outputs()) {
                return false;
            }
            for (int k = 0; k < results.outputs(); k++) {
                int[] shape = results.shapeOf(k);
                if (shape == null || !sameShape(shape, batch.getFiles(k))) {
                    return false;
                }
            }
            long end = batch.getFirst() + batch.getCount();
            do {
                i++;
            } while (i < n && results.index(i) >= batch.getFirst() && results.index(i) < end);
        }
        return true;
    }

    private static boolean sameShape(int[] shape, RowFile file) {
        if (shape.length != file.getShapeCount()) {
            return false;
        }
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] != file.getShape(d)) {
                return false;
            }
        }
        return true;
    }

    /** The file, opened for writing only if it exists (never created here), kept open for the next rows. */
    private FileChannel channel(String path) throws IOException {
        FileChannel channel = open.get(path);
        if (channel == null) {
            channel = FileChannel.open(Path.of(path), StandardOpenOption.WRITE);
            open.put(path, channel);
            if (open.size() > MAX_OPEN_FILES) {
                var eldest = open.entrySet().iterator().next();
                open.remove(eldest.getKey());
                eldest.getValue().close();
            }
        }
        return channel;
    }
}
