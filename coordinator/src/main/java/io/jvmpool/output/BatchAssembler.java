package io.jvmpool.output;

import io.jvmpool.rows.DType;
import io.jvmpool.rows.InPlaceBatch;
import io.jvmpool.rows.TaskRows;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Places each task's outputs into row {@code i} of its batch's {@code .npy} files (one per output)
 * as results arrive, and puts a batch's files in place the moment its last row is filled. The rows
 * are written straight into the files' temporary copies at their offsets, on the {@link BatchWriter}'s
 * thread: the heap never holds a batch, so a batch may be larger than the heap. Safe to call from
 * any thread.
 */
public final class BatchAssembler {
    /** A file on disk, with its CRC-32C (8 hex digits). */
    public record WrittenFile(Path path, String crc32c, long bytes) {
    }

    /** A batch whose files are all on disk. */
    public record WrittenBatch(int batch, List<WrittenFile> files) {
    }

    /** Batches smaller than this are not offered for writing in place: a write per row would cost more than sending. */
    static final long IN_PLACE_MIN_BYTES = 1 << 20;

    private final BatchPlan plan;
    private final DType[] dtypes;
    private final List<String> outputs;
    private final BatchWriter writer;
    private final Batch[] batches;
    /** The shape of each output, fixed by the first result of the job. */
    private final int[][] shapes;
    /** Rows the workers wrote into the files themselves. */
    private final AtomicLong rowsInPlace = new AtomicLong();

    /** Stands for a batch that is written (or was already on disk): nothing more may arrive for it. */
    private static final Batch DONE = new Batch(new BatchWriter.Files(-1, 0));

    /** A batch still filling: its rows still to come, those of skipped tasks, and its files. */
    private static final class Batch {
        final BatchWriter.Files files;
        int remaining;
        final BitSet failed = new BitSet();

        Batch(BatchWriter.Files files) {
            this.files = files;
            this.remaining = files.rows;
        }
    }

    /**
     * @param manifest  where each batch is recorded before its files are renamed into place, so that a
     *                  file in place always has its checksum in the manifest; null for none
     * @param onWritten told of each batch once its files are in place
     */
    public BatchAssembler(BatchPlan plan, DType dtype, List<String> outputs, Path folder, Manifest manifest,
                          Consumer<WrittenBatch> onWritten) {
        this(plan, java.util.Collections.nCopies(outputs.size(), dtype), outputs, folder, manifest, onWritten);
    }

    /** As above, each output of its own dtype ({@code dtypes.get(k)} for output {@code k}). */
    public BatchAssembler(BatchPlan plan, List<DType> dtypes, List<String> outputs, Path folder, Manifest manifest,
                          Consumer<WrittenBatch> onWritten) {
        if (dtypes.size() != outputs.size()) {
            throw new IllegalArgumentException(outputs.size() + " outputs but " + dtypes.size() + " dtypes");
        }
        this.plan = plan;
        this.outputs = List.copyOf(outputs);
        this.dtypes = dtypes.toArray(DType[]::new);
        this.batches = new Batch[plan.batches()];
        this.shapes = new int[outputs.size()][];
        this.writer = new BatchWriter(plan, this.dtypes, this.outputs, folder, manifest, onWritten, shapes);
    }

    /** The file of output {@code name} of batch {@code batch}: {@code <name>_para_<batch>.npy}. */
    public static String fileName(String name, int batch) {
        return name + "_para_" + batch + ".npy";
    }

    /** Marks a batch as already on disk (a resumed job): none of its tasks will arrive. */
    public synchronized void skip(int batch) {
        batches[batch] = DONE;
    }

    /** Tasks {@code first ..} finished: their rows go into their batches; a batch that is whole is written. */
    public synchronized void accept(long first, TaskRows rows) {
        IOException failure = writer.failure();
        if (failure != null) {
            throw new IllegalStateException("can't write the results: " + failure.getMessage());
        }
        checkShapes(first, rows);
        // the rows may span the end of one batch and the start of the next: hand each part over at once
        for (int done = 0; done < rows.count(); ) {
            long index = first + done;
            int number = plan.batchOf(index);
            int row = plan.rowOf(index);
            int n = Math.min(rows.count() - done, plan.sizeOf(number) - row);
            Batch batch = batch(index);
            if (batch != DONE && rows.inPlace()) {
                if (batch.files.inPlace == null) {
                    throw new IllegalStateException("a worker wrote the rows of tasks " + index + ".." + (index + n - 1)
                            + " in place, but batch " + number + " was never offered for that");
                }
                rowsInPlace.addAndGet(n);
                writer.landed(batch.files, row, n);
                rowsDone(number, batch, n);
            } else if (batch != DONE) {
                ByteBuffer[] parts = new ByteBuffer[shapes.length]; // views of the message's bytes: no copy here
                for (int k = 0; k < shapes.length; k++) {
                    parts[k] = rows.buffer(k, done, n);
                }
                writer.writeRows(batch.files, row, n, parts, rows.keep()); // kept until the writer has written them
                rowsDone(number, batch, n);
            }
            done += n;
        }
    }

    /** The first result fixes the outputs' shapes; every later one must have them. */
    private void checkShapes(long first, TaskRows rows) {
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
    }

    /**
     * Where the workers on this machine may write task {@code index}'s rows themselves: its batch's
     * temporary files, or null while they are not open yet (asked for here: they open on the writer
     * thread, for the messages that come after), once the batch is written, or when the batch is too
     * small for it to pay.
     */
    public synchronized InPlaceBatch inPlace(long index) {
        Batch batch = batch(index);
        if (batch == DONE || writer.stopped()) {
            return null;
        }
        if (batch.files.inPlace == null && !batch.files.opening && shapesKnown() && bytesPerRow() * batch.files.rows >= IN_PLACE_MIN_BYTES) {
            writer.openForInPlace(batch.files);
        }
        return batch.files.inPlace;
    }

    /** One output as its files hold it: its dtype, and the shape of one row (null until a result fixed it). */
    public record Array(String name, DType dtype, int[] rowShape) {
    }

    /** Each output's dtype and row shape, as far as known. */
    public synchronized List<Array> arrays() {
        List<Array> all = new java.util.ArrayList<>();
        for (int k = 0; k < outputs.size(); k++) {
            all.add(new Array(outputs.get(k), dtypes[k], shapes[k] == null ? null : shapes[k].clone()));
        }
        return all;
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
        for (int k = 0; k < shapes.length; k++) {
            bytes += BatchFile.rowBytes(dtypes[k], shapes[k]);
        }
        return bytes;
    }

    /** Task {@code index} failed and is skipped: its row stays NaN (0 for integers). */
    public synchronized void failed(long index) {
        Batch batch = batch(index);
        if (batch == DONE) {
            return;
        }
        batch.failed.set(plan.rowOf(index));
        rowsDone(plan.batchOf(index), batch, 1);
    }

    /** Waits until every batch handed to the writer is on disk; rethrows a write's failure. */
    public void finish() throws IOException, InterruptedException {
        writer.finish();
    }

    /**
     * Stops writing (Ctrl-C): waits for a batch being written to finish, and writes no batch after
     * it. Batches on disk stay; the rest are never written, not even in part.
     */
    public void abandon() {
        writer.abandon();
    }

    private Batch batch(long index) {
        int b = plan.batchOf(index);
        if (batches[b] == null) {
            batches[b] = new Batch(new BatchWriter.Files(b, plan.sizeOf(b)));
        }
        return batches[b];
    }

    private void rowsDone(int number, Batch batch, int n) {
        batch.remaining -= n;
        if (batch.remaining > 0 || writer.abandoned()) {
            return;
        }
        writer.complete(batch.files, batch.failed);
        batches[number] = DONE; // the writer owns the data now
    }
}
