package io.jvmpool.pool;

import io.jvmpool.rows.TaskRows;
import io.jvmpool.proto.OutputColumn;
import io.jvmpool.proto.ResultChunk;

/** A window of consecutive rows of a {@link ResultChunk}; one view is reused for every message of a stream. */
final class ResultView implements TaskRows {
    /** Bytes per element of each output. */
    private final int[] elementSizes;
    private ResultChunk batch;
    private int[][] shapes;
    private int[] rowBytes;
    private int start;
    private int count;
    private boolean inPlace;
    /** The buffer the message was parsed into, when it was lent one; null when its bytes are on the heap. */
    private MessageBuffers.Loan loan;

    ResultView(java.util.List<io.jvmpool.rows.DType> dtypes) {
        this.elementSizes = dtypes.stream().mapToInt(io.jvmpool.rows.DType::size).toArray();
    }

    /** The loan behind the next message's bytes (null: none); set before {@link #message}. */
    ResultView loan(MessageBuffers.Loan loan) {
        this.loan = loan;
        return this;
    }

    /** Points this view at a new message; checks that its columns hold exactly one row per task. */
    void message(ResultChunk batch) {
        this.batch = batch;
        this.inPlace = batch.getInPlace();
        int tasks = tasks(batch);
        int k = batch.getOutputsCount();
        if (k > elementSizes.length) {
            throw new IllegalArgumentException("output #" + elementSizes.length + " set, but the job has " + elementSizes.length + " outputs");
        }
        shapes = new int[k][];
        rowBytes = new int[k];
        for (int i = 0; i < k; i++) {
            OutputColumn column = batch.getOutputs(i);
            shapes[i] = column.getShapeList().stream().mapToInt(Integer::intValue).toArray();
            long elements = 1;
            for (int d : shapes[i]) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative dimension in output #" + i);
                }
                elements *= d;
            }
            long bytes = elements * elementSizes[i];
            if (inPlace ? !column.getData().isEmpty() : bytes * tasks != column.getData().size()) {
                throw new IllegalArgumentException("output #" + i + " holds " + column.getData().size() + " bytes, not "
                        + (inPlace ? "none (its rows were written in place)" : tasks + " rows of " + bytes));
            }
            rowBytes[i] = (int) bytes;
        }
    }

    /** How many tasks a message answers. */
    static int tasks(ResultChunk batch) {
        return batch.getIndexCount() > 0 ? batch.getIndexCount() : batch.getCount();
    }

    /**
     * Where the run of rows from {@code row} ends: the whole message for a range, else the end of the
     * consecutive indexes (tasks handed out again), so that each run is delivered at once.
     */
    static int runEnd(ResultChunk batch, int row) {
        int n = tasks(batch);
        if (batch.getIndexCount() == 0) {
            return n;
        }
        int end = row + 1;
        while (end < n && batch.getIndex(end) == batch.getIndex(end - 1) + 1) {
            end++;
        }
        return end;
    }

    /** The task of row {@code row} of the message. */
    static long index(ResultChunk batch, int row) {
        return batch.getIndexCount() > 0 ? batch.getIndex(row) : batch.getFirst() + row;
    }

    /** Rows {@code start .. start + count - 1} of the message. */
    ResultView rows(int start, int count) {
        this.start = start;
        this.count = count;
        return this;
    }

    @Override
    public boolean inPlace() {
        return inPlace;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public int outputs() {
        return shapes.length;
    }

    @Override
    public int[] shape(int k) {
        return shapes[k];
    }

    @Override
    public int rowBytes(int k) {
        return rowBytes[k];
    }

    @Override
    public java.nio.ByteBuffer buffer(int k, int from, int rows) {
        int begin = (start + from) * rowBytes[k];
        return batch.getOutputs(k).getData().substring(begin, begin + rows * rowBytes[k]).asReadOnlyByteBuffer();
    }

    @Override
    public Runnable keep() {
        return loan == null ? NOTHING : loan.hold();
    }

    private static final Runnable NOTHING = () -> { };

    @Override
    public void copyTo(int k, int from, int rows, byte[] target, int offset) {
        batch.getOutputs(k).getData().copyTo(target, (start + from) * rowBytes[k], offset, rows * rowBytes[k]);
    }
}
