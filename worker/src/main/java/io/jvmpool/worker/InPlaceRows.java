package io.jvmpool.worker;

import io.jvmpool.proto.RowFile;
import io.jvmpool.shared.Wire;
import io.jvmpool.proto.RowFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The coordinator's batch files, for a worker it started on its own machine: results are written
 * straight into their rows there, and only "these tasks are done" travels over the stream. Any
 * doubt (a task of a batch not announced, another shape, an I/O error, the stream gone) returns
 * false and the results travel as data instead, so this is never the only way. Written on the task
 * thread; the batches are announced ({@link #add}) and {@link #stop} comes from the stream's thread.
 */
final class InPlaceRows {
    /** Files kept open; batches remembered: {@link Wire.ROW_FILES_KEPT} (older ones fall back to sending). */
    private static final int MAX_OPEN_FILES = 8;

    /** Guarded by itself: filled from the stream's thread, read on the task thread. */
    private final TreeMap<Long, RowFiles> batches = new TreeMap<>();
    private final Map<String, MappedFile> open = new LinkedHashMap<>(16, 0.75f, true);
    /** The coordinator's output folder as mounted here, or null for its own paths. */
    private final Path folder;
    /** Set when the stream ends: the coordinator may have given this worker's tasks to another. */
    private volatile boolean stopped;

    InPlaceRows(Path folder) {
        this.folder = folder;
    }

    /** The coordinator announced where a batch's rows go. */
    void add(RowFiles files) {
        synchronized (batches) {
            batches.put(files.getFirst(), files);
            while (batches.size() > Wire.ROW_FILES_KEPT) {
                batches.pollFirstEntry();
            }
        }
    }

    /** The batches announced so far (a few): one view for one write, whatever is announced meanwhile. */
    private TreeMap<Long, RowFiles> announced() {
        synchronized (batches) {
            return new TreeMap<>(batches);
        }
    }

    /** The batch of {@code known} that holds task {@code index}, or null. */
    private static RowFiles batchOf(TreeMap<Long, RowFiles> known, long index) {
        Map.Entry<Long, RowFiles> e = known.floorEntry(index);
        RowFiles batch = e == null ? null : e.getValue();
        return batch == null || index >= batch.getFirst() + batch.getCount() ? null : batch;
    }

    /** Forgets every batch and closes their files: the next job's batches are announced anew. */
    void reset() {
        synchronized (batches) {
            batches.clear();
        }
        for (MappedFile f : open.values()) {
            try {
                f.close();
            } catch (IOException e) {
                // it was only being written; nothing to keep
            }
        }
        open.clear();
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
        TreeMap<Long, RowFiles> known = announced();
        if (stopped || n == 0 || !covers(results, known)) {
            return false;
        }
        try {
            for (int i = 0; i < n; ) {
                long index = results.index(i);
                RowFiles batch = batchOf(known, index);
                long end = batch.getFirst() + batch.getCount();
                int run = 1;
                while (i + run < n && results.index(i + run) == index + run && index + run < end) {
                    run++;
                }
                for (int k = 0; k < results.outputs(); k++) {
                    RowFile file = batch.getFiles(k);
                    ByteBuffer rows = results.rows(k, i, run);
                    long at = file.getDataStart() + (index - batch.getFirst()) * (rows.remaining() / run);
                    if (stopped) {
                        return false;
                    }
                    file(file.getPath()).write(rows, at);
                }
                i += run;
            }
            return true;
        } catch (IOException | InternalError e) {
            // InternalError: a page of the mapping could not be had (a full disk); the coordinator
            // writes the rows instead (and reports the error if it has it too)
            return false;
        }
    }

    /** Whether every collected task has its batch announced, with the shapes the task gave. */
    private static boolean covers(ResultWriter results, TreeMap<Long, RowFiles> known) {
        int n = results.count();
        for (int i = 0; i < n; ) {
            long index = results.index(i);
            RowFiles batch = batchOf(known, index);
            if (batch == null || batch.getFilesCount() != results.outputs()) {
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

    /** The file, mapped if it exists (never created here), kept for the next rows. */
    private MappedFile file(String path) throws IOException {
        MappedFile file = open.get(path);
        if (file == null) {
            file = MappedFile.open(OutFolder.resolve(folder, path));
            open.put(path, file);
            if (open.size() > MAX_OPEN_FILES) {
                var eldest = open.entrySet().iterator().next();
                open.remove(eldest.getKey());
                eldest.getValue().close();
            }
        }
        return file;
    }
}
