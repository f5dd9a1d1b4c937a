package io.jvmpool.pool;

import io.jvmpool.proto.OutputColumn;
import io.jvmpool.proto.ResultBatch;

/** Row {@code row} of a {@link ResultBatch}, seen as one task's outputs; reused across rows to avoid allocation. */
final class ResultView implements TaskOutputs {
    private final int elementSize;
    private ResultBatch batch;
    private int row;
    private int[][] shapes;
    private int[] rowBytes;

    ResultView(int elementSize) {
        this.elementSize = elementSize;
    }

    /** Points this view at a new message; checks that its columns hold exactly one row per task. */
    void message(ResultBatch batch) {
        this.batch = batch;
        int k = batch.getOutputsCount();
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
            long bytes = elements * elementSize;
            if (bytes * batch.getIndexCount() != column.getData().size()) {
                throw new IllegalArgumentException("output #" + i + " holds " + column.getData().size() + " bytes, not "
                        + batch.getIndexCount() + " rows of " + bytes);
            }
            rowBytes[i] = (int) bytes;
        }
    }

    ResultView row(int row) {
        this.row = row;
        return this;
    }

    @Override
    public int count() {
        return shapes.length;
    }

    @Override
    public int[] shape(int k) {
        return shapes[k];
    }

    @Override
    public int byteSize(int k) {
        return rowBytes[k];
    }

    @Override
    public void copyTo(int k, byte[] target, int offset) {
        batch.getOutputs(k).getData().copyTo(target, row * rowBytes[k], offset, rowBytes[k]);
    }
}
