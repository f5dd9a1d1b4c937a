package io.jvmpool.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Places each task's outputs into row {@code i} of its batch's {@code .npy} files (one per output)
 * as results arrive, and puts a batch's files in place the moment its last row is filled. The rows
 * are written straight into the files' temporary copies at their offsets ({@link BatchFile}): the
 * heap never holds a batch, so a batch may be larger than the heap.
 */
public final class BatchAssembler {
    /** A file on disk, with its SHA-256. */
    public record WrittenFile(Path path, String sha256, long bytes) {
    }

    /** A batch whose files are all on disk. */
    public record WrittenBatch(int batch, List<WrittenFile> files) {
    }

    private final BatchPlan plan;
    private final DType dtype;
    private final List<String> outputs;
    private final Path folder;
    private final Consumer<WrittenBatch> onWritten;
    private final Manifest manifest;
    private final Batch[] batches;
    /** The shape of each output, fixed by the first result of the job. */
    private final int[][] shapes;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jvmpool-batch-writer");
        t.setDaemon(true);
        return t;
    });
    private final List<Future<?>> writes = new ArrayList<>();
    /** Held while a batch's files are written, so that {@link #abandon} never cuts a batch in half. */
    private final Object writing = new Object();
    private volatile boolean abandoned;
    /** The temporary files of batches not yet in place, to remove if the job ends without them. */
    private final List<BatchFile[]> open = new ArrayList<>();
    private volatile IOException writeFailure;

    /** Stands for a batch that is written (or was already on disk): nothing more may arrive for it. */
    private static final Batch DONE = new Batch(0);

    /** Batches smaller than this are not offered for writing in place: a write per row would cost more than sending. */
    static final long IN_PLACE_MIN_BYTES = 1 << 20;
    /** Rows the workers wrote into the files themselves. */
    private final java.util.concurrent.atomic.AtomicLong rowsInPlace = new java.util.concurrent.atomic.AtomicLong();

    private static final class Batch {
        final int rows;
        /** One temporary file per output, opened when the batch's first row arrives (or is asked for in place). */
        BatchFile[] files;
        /** Asked to open the files for writing in place; where to write once they are open (on the writer thread). */
        volatile boolean opening;
        volatile InPlaceBatch inPlace;
        int remaining;
        final BitSet failed = new BitSet();

        Batch(int rows) {
            this.rows = rows;
            this.remaining = rows;
        }
    }

    /**
     * @param manifest  where each batch is recorded before its files are renamed into place, so that a
     *                  file in place always has its checksum in the manifest; null for none
     * @param onWritten told of each batch once its files are in place
     */
    public BatchAssembler(BatchPlan plan, DType dtype, List<String> outputs, Path folder, Manifest manifest,
                          Consumer<WrittenBatch> onWritten) {
        this.manifest = manifest;
        this.plan = plan;
        this.dtype = dtype;
        this.outputs = List.copyOf(outputs);
        this.folder = folder;
        this.onWritten = onWritten;
        this.batches = new Batch[plan.batches()];
        this.shapes = new int[outputs.size()][];
    }

    /** The file of output {@code name} of batch {@code batch}: {@code <name>_para_<batch>.npy}. */
    public static String fileName(String name, int batch) {
        return name + "_para_" + batch + ".npy";
    }

    /** Marks a batch as already on disk (a resumed job): none of its tasks will arrive. */
    public void skip(int batch) {
        batches[batch] = DONE;
    }

    /** Tasks {@code first ..} finished: their rows go into their batches; a batch that is whole is written. */
    public void accept(long first, TaskRows rows) {
        if (writeFailure != null) {
            throw new IllegalStateException("can't write the results: " + writeFailure.getMessage());
        }
        if (rows.outputs() != outputs.size()) {
            throw new IllegalStateException("task " + first + " returned " + rows.outputs() + " outputs but the job has "
                    + outputs.size() + " (" + String.join(",", outputs) + "): set --outputs to " + rows.outputs() + " names");
        }
        for (int k = 0; k < shapes.length; k++) {
            int[] shape = rows.shape(k);
            if (shapes[k] == null) {
                shapes[k] = shape.clone();
            } else if (!Arrays.equals(shapes[k], shape)) {
                throw new IllegalStateException("task " + first + ": output '" + outputs.get(k) + "' has shape "
                        + Arrays.toString(shape) + " but earlier tasks gave " + Arrays.toString(shapes[k]));
            }
        }
        // the rows may span the end of one batch and the start of the next: copy each part at once
        for (int done = 0; done < rows.count(); ) {
            long index = first + done;
            int number = plan.batchOf(index);
            int row = plan.rowOf(index);
            int n = Math.min(rows.count() - done, plan.sizeOf(number) - row);
            Batch batch = batch(index);
            if (batch != DONE && rows.inPlace()) {
                if (batch.inPlace == null) {
                    throw new IllegalStateException("a worker wrote the rows of tasks " + index + ".." + (index + n - 1)
                            + " in place, but batch " + number + " was never offered for that");
                }
                rowsInPlace.addAndGet(n);
                writer.execute(() -> landed(number, batch, row, n));
                rowsDone(number, batch, n);
            } else if (batch != DONE) {
                ByteBuffer[] parts = new ByteBuffer[shapes.length]; // views of the message's bytes: no copy here
                for (int k = 0; k < shapes.length; k++) {
                    parts[k] = rows.buffer(k, done, n);
                }
                Runnable release = rows.keep(); // until the writer thread has written them
                writer.execute(() -> {
                    try {
                        writeRows(number, batch, row, n, parts);
                    } finally {
                        release.run();
                    }
                });
                rowsDone(number, batch, n);
            }
            done += n;
        }
    }

    /**
     * Where the workers on this machine may write task {@code index}'s rows themselves: its batch's
     * temporary files, or null while they are not open yet (asked for here: they open on the writer
     * thread, for the messages that come after), once the batch is written, or when the batch is too
     * small for it to pay. Called from the scheduler, as {@link #accept} is.
     */
    public InPlaceBatch inPlace(long index) {
        int number = plan.batchOf(index);
        Batch batch = batch(index);
        if (batch == DONE || abandoned || writeFailure != null) {
            return null;
        }
        if (batch.inPlace == null && !batch.opening && shapesKnown() && bytesPerRow() * batch.rows >= IN_PLACE_MIN_BYTES) {
            batch.opening = true;
            writer.execute(() -> {
                if (!abandoned && writeFailure == null) {
                    try {
                        open(number, batch);
                    } catch (IOException e) {
                        writeFailure = new IOException("can't write batch " + number + " to " + folder + ": " + e.getMessage(), e);
                    }
                }
            });
        }
        return batch.inPlace;
    }

    /** How many rows the workers wrote into the files themselves. */
    public long rowsInPlace() {
        return rowsInPlace.get();
    }

    private boolean shapesKnown() {
        for (int[] shape : shapes) {
            if (shape == null) {
                return false;
            }
        }
        return true;
    }

    private long bytesPerRow() {
        long bytes = 0;
        for (int[] shape : shapes) {
            bytes += BatchFile.rowBytes(dtype, shape);
        }
        return bytes;
    }

    /** Task {@code index} failed and is skipped: its row stays NaN (0 for integers). */
    public void failed(long index) {
        Batch batch = batch(index);
        if (batch == DONE) {
            return;
        }
        batch.failed.set(plan.rowOf(index));
        rowsDone(plan.batchOf(index), batch, 1);
    }

    /** Waits until every batch handed to the writer is on disk; rethrows a write's failure. */
    public void finish() throws IOException, InterruptedException {
        List<Future<?>> pending;
        synchronized (writes) {
            pending = new ArrayList<>(writes);
        }
        for (Future<?> write : pending) {
            try {
                write.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(e.getCause());
            }
        }
        writer.shutdown();
    }

    /**
     * On the writer thread, in the order the rows came: writes them into the batch's files (so that
     * no file I/O happens on the network threads or under the scheduler's lock).
     */
    private void writeRows(int number, Batch batch, int row, int n, ByteBuffer[] parts) {
        if (abandoned || writeFailure != null) {
            return;
        }
        try {
            open(number, batch);
            for (int k = 0; k < parts.length; k++) {
                batch.files[k].write(row, parts[k]);
                batch.files[k].landed(row, n);
            }
        } catch (IOException e) {
            writeFailure = new IOException("can't write batch " + number + " to " + folder + ": " + e.getMessage(), e);
        }
    }

    /** On the writer thread: rows the workers wrote themselves are in the files; they are hashed from there. */
    private void landed(int number, Batch batch, int row, int n) {
        if (abandoned || writeFailure != null) {
            return;
        }
        try {
            for (BatchFile file : batch.files) {
                file.landed(row, n);
            }
        } catch (IOException e) {
            writeFailure = new IOException("can't read back batch " + number + " in " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the batch's temporary files, once the shape of every output is known, and offers them
     * for writing in place if that was asked for (on the writer thread).
     */
    private void open(int number, Batch batch) throws IOException {
        if (batch.files == null) {
            batch.files = create(number, batch);
        }
        if (batch.opening && batch.inPlace == null) {
            List<InPlaceBatch.File> inPlace = new ArrayList<>();
            for (int k = 0; k < batch.files.length; k++) {
                inPlace.add(batch.files[k].inPlace(shapes[k].clone()));
            }
            batch.inPlace = new InPlaceBatch(plan.firstTask(number), batch.rows, List.copyOf(inPlace));
        }
    }

    private BatchFile[] create(int number, Batch batch) throws IOException {
        BatchFile[] files = new BatchFile[outputs.size()];
        try {
            for (int k = 0; k < files.length; k++) {
                int[] shape = shapes[k] == null ? new int[0] : shapes[k]; // every task of the job failed: scalars
                files[k] = new BatchFile(folder.resolve(fileName(outputs.get(k), number)), dtype, batch.rows, shape);
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

    private Batch batch(long index) {
        int b = plan.batchOf(index);
        if (batches[b] == null) {
            batches[b] = new Batch(plan.sizeOf(b));
        }
        return batches[b];
    }

    private void rowsDone(int number, Batch batch, int n) {
        batch.remaining -= n;
        if (batch.remaining > 0 || abandoned) {
            return;
        }
        synchronized (writes) {
            writes.add(writer.submit(() -> {
                write(number, batch);
                return null;
            }));
        }
        batches[number] = DONE; // the writer owns the data now
    }

    /**
     * Stops writing (Ctrl-C): waits for a batch being written to finish, and writes no batch after
     * it. Batches on disk stay; the rest are never written, not even in part.
     */
    public void abandon() {
        synchronized (writing) {
            abandoned = true;
        }
        writer.shutdownNow();
        synchronized (open) {
            open.forEach(BatchAssembler::closeAll);
            open.clear();
        }
    }

    private void write(int number, Batch batch) throws IOException {
        synchronized (writing) {
            if (writeFailure != null) {
                throw writeFailure;
            }
            if (!abandoned) {
                try {
                    writeFiles(number, batch);
                } catch (IOException e) {
                    writeFailure = e;
                    throw e;
                }
            }
        }
    }

    /**
     * Completes the batch's temporary files, records them in the manifest, then renames them into
     * place. A crash or a full disk at any point leaves the batch whole and listed, or listed and
     * missing (so recomputed on --resume), never in place and unlisted.
     */
    private void writeFiles(int number, Batch batch) throws IOException {
        try {
            open(number, batch); // a batch whose every task failed got no row
            List<WrittenFile> files = new ArrayList<>();
            for (BatchFile f : batch.files) {
                f.fillFailed(batch.failed);
                files.add(new WrittenFile(f.target(), f.sha256(), f.size()));
            }
            WrittenBatch written = new WrittenBatch(number, List.copyOf(files));
            if (manifest != null) {
                manifest.record(written);
            }
            for (BatchFile f : batch.files) {
                f.commit();
            }
            onWritten.accept(written);
        } catch (IOException e) {
            throw new IOException("can't write batch " + number + " to " + folder + ": " + e.getMessage(), e);
        } finally {
            if (batch.files != null) {
                closeAll(batch.files);
                synchronized (open) {
                    open.remove(batch.files);
                }
            }
        }
    }
}
