package io.jvmpool.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * Places each task's outputs into row {@code i} of its batch's arrays as results arrive, and writes
 * a batch's {@code .npy} files (one per output) the moment its last row is filled. A batch holds one
 * preallocated buffer per output; results are copied into place, never boxed.
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
    private volatile IOException writeFailure;

    /** Stands for a batch that is written (or was already on disk): nothing more may arrive for it. */
    private static final Batch DONE = new Batch(0);

    private static final class Batch {
        final int rows;
        byte[][] data;
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
            if (batch != DONE) {
                if (batch.data == null) {
                    batch.data = new byte[outputs.size()][];
                    for (int k = 0; k < shapes.length; k++) {
                        batch.data[k] = new byte[Math.multiplyExact(batch.rows, rowBytes(k))];
                    }
                }
                for (int k = 0; k < shapes.length; k++) {
                    rows.copyTo(k, done, n, batch.data[k], row * rowBytes(k));
                }
                rowsDone(number, batch, n);
            }
            done += n;
        }
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
    }

    private void write(int number, Batch batch) throws IOException {
        synchronized (writing) {
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
     * Writes the batch's files under temporary names, records them in the manifest, then renames
     * them into place. A crash or a full disk at any point leaves the batch whole and listed, or
     * listed and missing (so recomputed on --resume), never in place and unlisted.
     */
    private void writeFiles(int number, Batch batch) throws IOException {
        List<WrittenFile> files = new ArrayList<>();
        List<AtomicFile> pending = new ArrayList<>();
        try {
            for (int k = 0; k < outputs.size(); k++) {
                files.add(writeTemp(number, batch, k, pending));
            }
            WrittenBatch written = new WrittenBatch(number, List.copyOf(files));
            if (manifest != null) {
                manifest.record(written);
            }
            for (AtomicFile f : pending) {
                f.commit();
            }
            onWritten.accept(written);
        } catch (IOException e) {
            throw new IOException("can't write batch " + number + " to " + folder + ": " + e.getMessage(), e);
        } finally {
            for (AtomicFile f : pending) {
                f.close();
            }
        }
    }

    /** Writes output {@code k} of the batch under a temporary name (added to {@code pending}). */
    private WrittenFile writeTemp(int number, Batch batch, int k, List<AtomicFile> pending) throws IOException {
        int[] shape = shapes[k] == null ? new int[0] : shapes[k]; // every task of the job failed: scalars
        int rowBytes = rowBytes(k);
        byte[] data = batch.data == null ? new byte[batch.rows * rowBytes] : batch.data[k];
        fillFailedRows(batch.failed, data, rowBytes);
        long[] fullShape = new long[shape.length + 1];
        fullShape[0] = batch.rows;
        for (int d = 0; d < shape.length; d++) {
            fullShape[d + 1] = shape[d];
        }
        Path file = folder.resolve(fileName(outputs.get(k), number));
        AtomicFile temp = AtomicFile.create(file);
        pending.add(temp);
        String sha256 = NpyWriter.write(temp.stream(), dtype, fullShape, data, 0, data.length);
        return new WrittenFile(file, sha256, temp.size());
    }

    /** Rows of skipped failures hold NaN for float dtypes, 0 for integer ones (already zero). */
    private void fillFailedRows(BitSet failed, byte[] data, int rowBytes) {
        if (failed.isEmpty() || !dtype.isFloating()) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int row = failed.nextSetBit(0); row >= 0; row = failed.nextSetBit(row + 1)) {
            for (int at = row * rowBytes; at < (row + 1) * rowBytes; at += dtype.size()) {
                if (dtype == DType.FLOAT32) {
                    buffer.putFloat(at, Float.NaN);
                } else {
                    buffer.putDouble(at, Double.NaN);
                }
            }
        }
    }

    private int rowBytes(int k) {
        int elements = 1;
        for (int d : shapes[k] == null ? new int[0] : shapes[k]) {
            elements = Math.multiplyExact(elements, d);
        }
        return Math.multiplyExact(elements, dtype.size());
    }
}
