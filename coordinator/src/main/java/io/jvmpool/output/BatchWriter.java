package io.jvmpool.output;

import io.jvmpool.rows.DType;
import io.jvmpool.rows.InPlaceBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The one thread that touches a job's batch files, so that no file I/O happens on the network's
 * threads: it opens a batch's temporary files, writes rows at their offsets, hashes rows as they
 * land (also those the workers wrote themselves), and puts a whole batch in place. Work is queued
 * in the order rows arrive. A failure is kept and stops all later writes; {@link #abandon} stops
 * them too, but never cuts a batch being put in place in half.
 */
final class BatchWriter {
    /** One batch's files on their way to disk: opened, written and closed on the writer thread. */
    static final class Files {
        final int number;
        final int rows;
        private BatchFile[] files;
        /** Asked to open the files for writing in place; where to write once they are open. */
        volatile boolean opening;
        volatile InPlaceBatch inPlace;

        Files(int number, int rows) {
            this.number = number;
            this.rows = rows;
        }
    }

    private final BatchPlan plan;
    private final DType[] dtypes;
    private final List<String> outputs;
    private final Path folder;
    private final Manifest manifest;
    private final Consumer<BatchAssembler.WrittenBatch> onWritten;
    /** The shape of each output, fixed by the job's first result before any write is queued. */
    private final int[][] shapes;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jvmpool-batch-writer");
        t.setDaemon(true);
        return t;
    });
    /**
     * Starts writing a filling batch to disk every {@link #SYNC_EVERY_BYTES} rows, so that the sync
     * at its commit (which waits for the disk) finds little left: measured here, a 1 GiB batch's final
     * sync took 0.46 s of a 1.2 s job when nothing was written before it.
     */
    private final ExecutorService syncer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jvmpool-batch-sync");
        t.setDaemon(true);
        return t;
    });
    static final long SYNC_EVERY_BYTES = 64L << 20;
    private final List<Future<?>> completions = new ArrayList<>();
    /** Held while a batch's files are put in place, so that {@link #abandon} never cuts a batch in half. */
    private final Object committing = new Object();
    private volatile boolean abandoned;
    private volatile IOException failure;
    /** The temporary files of batches not yet in place, to remove if the job ends without them. */
    private final List<BatchFile[]> open = new ArrayList<>();

    BatchWriter(BatchPlan plan, DType[] dtypes, List<String> outputs, Path folder, Manifest manifest,
                Consumer<BatchAssembler.WrittenBatch> onWritten, int[][] shapes) {
        this.plan = plan;
        this.dtypes = dtypes;
        this.outputs = outputs;
        this.folder = folder;
        this.manifest = manifest;
        this.onWritten = onWritten;
        this.shapes = shapes;
    }

    /** Why writing stopped, or null. */
    IOException failure() {
        return failure;
    }

    /** True once the job was abandoned (Ctrl-C): no batch is put in place after this. */
    boolean abandoned() {
        return abandoned;
    }

    /** True once writing failed or was abandoned: nothing more is written. */
    boolean stopped() {
        return abandoned || failure != null;
    }

    /** Queues rows that came as bytes: written at their offsets, then {@code release} lets go of the bytes. */
    void writeRows(Files batch, int row, int n, ByteBuffer[] parts, Runnable release) {
        thread.execute(() -> {
            try {
                if (!stopped()) {
                    open(batch);
                    for (int k = 0; k < parts.length; k++) {
                        batch.files[k].write(row, parts[k]);
                        batch.files[k].landed(row, n);
                    }
                    syncEarly(batch);
                }
            } catch (IOException e) {
                failed("can't write batch " + batch.number + " to " + folder, e);
            } finally {
                release.run();
            }
        });
    }

    /** Queues the hashing of rows the workers wrote into the files themselves. */
    void landed(Files batch, int row, int n) {
        thread.execute(() -> {
            if (stopped()) {
                return;
            }
            try {
                for (BatchFile file : batch.files) {
                    file.landed(row, n);
                }
                syncEarly(batch);
            } catch (IOException e) {
                failed("can't read back batch " + batch.number + " in " + folder, e);
            }
        });
    }

    /** Queues the opening of a batch's files for the workers to write into; its {@code inPlace} is set once they are open. */
    void openForInPlace(Files batch) {
        batch.opening = true;
        thread.execute(() -> {
            if (!stopped()) {
                try {
                    open(batch);
                } catch (IOException e) {
                    failed("can't write batch " + batch.number + " to " + folder, e);
                }
            }
        });
    }

    /** Queues putting a whole batch in place: rows of skipped tasks filled in, listed in the manifest, renamed. */
    void complete(Files batch, BitSet failedRows) {
        Future<?> done = thread.submit(() -> {
            synchronized (committing) {
                if (failure != null) {
                    throw failure;
                }
                if (!abandoned) {
                    try {
                        commit(batch, failedRows);
                    } catch (IOException e) {
                        failure = e;
                        throw e;
                    }
                }
            }
            return null;
        });
        synchronized (completions) {
            completions.add(done);
        }
    }

    /** Waits until every batch queued is in place; rethrows a write's failure. */
    void finish() throws IOException, InterruptedException {
        List<Future<?>> pending;
        synchronized (completions) {
            pending = new ArrayList<>(completions);
        }
        for (Future<?> f : pending) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
        thread.shutdown();
        syncer.shutdown();
    }

    /**
     * Stops writing (Ctrl-C): waits for a batch being put in place, and writes nothing after it.
     * Batches in place stay; the temporary files of the rest are removed.
     */
    void abandon() {
        synchronized (committing) {
            abandoned = true;
        }
        thread.shutdownNow();
        syncer.shutdownNow();
        synchronized (open) {
            open.forEach(BatchWriter::closeAll);
            open.clear();
        }
    }

    /** On the writer thread: hands a file to the syncer each time another {@link #SYNC_EVERY_BYTES} of it are whole. */
    private void syncEarly(Files batch) {
        for (BatchFile f : batch.files) {
            long whole = f.hashedBytes();
            if (whole - f.syncRequestedAt >= SYNC_EVERY_BYTES) {
                f.syncRequestedAt = whole;
                try {
                    syncer.execute(f::syncSoFar);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    return; // the job ends: the commit syncs, or the file is dropped
                }
            }
        }
    }

    private void failed(String what, IOException e) {
        if (failure == null) {
            failure = new IOException(what + ": " + e.getMessage(), e);
        }
    }

    /** Creates the batch's temporary files, and offers them for writing in place if that was asked for. */
    private void open(Files batch) throws IOException {
        if (batch.files == null) {
            batch.files = create(batch);
        }
        if (batch.opening && batch.inPlace == null) {
            List<InPlaceBatch.File> inPlace = new ArrayList<>();
            for (int k = 0; k < batch.files.length; k++) {
                inPlace.add(batch.files[k].inPlace(shapes[k].clone()));
            }
            batch.inPlace = new InPlaceBatch(plan.firstTask(batch.number), batch.rows, List.copyOf(inPlace));
        }
    }

    private BatchFile[] create(Files batch) throws IOException {
        BatchFile[] files = new BatchFile[outputs.size()];
        try {
            for (int k = 0; k < files.length; k++) {
                int[] shape = shapes[k] == null ? new int[0] : shapes[k]; // every task of the job failed: scalars
                files[k] = new BatchFile(folder.resolve(BatchAssembler.fileName(outputs.get(k), batch.number)), dtypes[k], batch.rows,
                        shape);
            }
        } catch (IOException e) {
            closeAll(files);
            throw e;
        }
        synchronized (open) {
            if (abandoned) {
                closeAll(files);
                throw new IOException("the job was abandoned");
            }
            open.add(files);
        }
        return files;
    }

    /**
     * Completes the batch's temporary files, records them in the manifest, then renames them into
     * place. A crash or a full disk at any point leaves the batch whole and listed, or listed and
     * missing (so recomputed on --resume), never in place and unlisted.
     */
    private void commit(Files batch, BitSet failedRows) throws IOException {
        try {
            open(batch); // a batch whose every task failed got no row
            List<BatchAssembler.WrittenFile> files = new ArrayList<>();
            for (BatchFile f : batch.files) {
                f.fillFailed(failedRows);
                files.add(new BatchAssembler.WrittenFile(f.target(), f.crc32c(), f.size()));
            }
            BatchAssembler.WrittenBatch written = new BatchAssembler.WrittenBatch(batch.number, List.copyOf(files));
            if (manifest != null) {
                manifest.arrays(outputs, List.of(dtypes), rowShapes());
                manifest.record(written);
            }
            for (BatchFile f : batch.files) {
                f.commit();
            }
            onWritten.accept(written);
        } catch (IOException e) {
            throw new IOException("can't write batch " + batch.number + " to " + folder + ": " + e.getMessage(), e);
        } finally {
            if (batch.files != null) {
                closeAll(batch.files);
                synchronized (open) {
                    open.remove(batch.files);
                }
            }
        }
    }

    /** The shape of one row of each output ({@code ()} for an output no task ever set: every task failed). */
    List<int[]> rowShapes() {
        List<int[]> all = new ArrayList<>();
        for (int[] shape : shapes) {
            all.add(shape == null ? new int[0] : shape.clone());
        }
        return all;
    }

    private static void closeAll(BatchFile[] files) {
        for (BatchFile f : files) {
            if (f != null) {
                try {
                    f.close();
                } catch (IOException e) {
                    // it was temporary; removeLeftovers takes it at the next start
                }
            }
        }
    }
}
