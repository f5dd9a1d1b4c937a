package io.jvmpool.worker;

import com.google.protobuf.UnsafeByteOperations;
import io.jvmpool.api.Outputs;
import io.jvmpool.proto.DType;
import io.jvmpool.proto.OutputColumn;
import io.jvmpool.proto.ResultChunk;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Collects the outputs of a run of tasks as raw little-endian values of the job's dtype, one
 * column per output, ready to send as one {@link ResultChunk} or to write into the batch files
 * ({@link InPlaceRows}). Converts each value once, here, so that the coordinator only copies bytes
 * into place. The columns are direct buffers, kept from message to message: a file or a message
 * takes them without another copy (no new array per message, which a large result would make a
 * humongous allocation in fresh memory).
 */
final class ResultWriter implements Outputs {
    /** The task's outputs don't fit the job (count or shape): a mistake in the job, not in one task. */
    static final class MismatchException extends IllegalArgumentException {
        MismatchException(String message) {
            super(message);
        }
    }

    private final DType dtype;
    private final int elementSize;
    private final ByteBuffer[] columns;
    private final int[][] shapes;
    private final int[] taskStart;
    private final boolean[] setInTask;
    private static final int[] SCALAR = new int[0];
    private long[] indexes = new long[64];
    private int count;
    /** Whether the indexes so far run first, first + 1, ...: then they travel as a range. */
    private boolean contiguous = true;

    ResultWriter(DType dtype, int outputs) {
        this.dtype = dtype;
        this.elementSize = dtype == DType.FLOAT32 || dtype == DType.INT32 ? 4 : 8;
        this.columns = new ByteBuffer[outputs];
        this.shapes = new int[outputs][];
        this.taskStart = new int[outputs];
        this.setInTask = new boolean[outputs];
        for (int k = 0; k < outputs; k++) {
            columns[k] = ByteBuffer.allocateDirect(1024).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Starts a task: its outputs can be rolled back until {@link #endTask}. */
    void beginTask() {
        for (int k = 0; k < columns.length; k++) {
            taskStart[k] = columns[k].position();
            setInTask[k] = false;
        }
    }

    /** Ends a task whose outputs are all set; throws (and rolls back) when some are missing. */
    void endTask(long index) {
        for (int k = 0; k < columns.length; k++) {
            if (!setInTask[k]) {
                abortTask();
                throw new MismatchException("the task set no value for output #" + k + " (the job has "
                        + columns.length + " outputs, named with --outputs)");
            }
        }
        if (count == indexes.length) {
            indexes = Arrays.copyOf(indexes, count * 2);
        }
        contiguous &= count == 0 || index == indexes[count - 1] + 1;
        indexes[count++] = index;
    }

    /** Forgets whatever the current task set. */
    void abortTask() {
        for (int k = 0; k < columns.length; k++) {
            columns[k].position(taskStart[k]);
            if (count == 0) {
                shapes[k] = null;
            }
        }
    }

    int count() {
        return count;
    }

    int bytes() {
        int total = 0;
        for (ByteBuffer column : columns) {
            total += column.position();
        }
        return total;
    }

    /**
     * The collected results as one message; the writer is empty afterwards. The message's data are
     * views of this writer's buffers, not copies: send it (gRPC serializes a message inside
     * {@code onNext}, on the calling thread) before the next task sets outputs.
     */
    ResultChunk drain(long computeNanos) {
        ResultChunk.Builder chunk = header(computeNanos);
        for (int k = 0; k < columns.length; k++) {
            ByteBuffer column = columns[k];
            chunk.addOutputs(shape(k).setData(UnsafeByteOperations.unsafeWrap(column.flip().slice())));
            column.clear();
        }
        clear();
        return chunk.build();
    }

    /**
     * The message that says the collected results were written into the batch files ({@link InPlaceRows}):
     * shapes and no data. The writer is empty afterwards and keeps its buffers, which no message holds.
     */
    ResultChunk drainWritten(long computeNanos) {
        ResultChunk.Builder chunk = header(computeNanos).setInPlace(true);
        for (int k = 0; k < columns.length; k++) {
            chunk.addOutputs(shape(k));
            columns[k].clear();
        }
        clear();
        return chunk.build();
    }

    private ResultChunk.Builder header(long computeNanos) {
        ResultChunk.Builder chunk = ResultChunk.newBuilder().setComputeNanos(computeNanos);
        if (contiguous && count > 0) {
            chunk.setFirst(indexes[0]).setCount(count);
        } else {
            for (int i = 0; i < count; i++) {
                chunk.addIndex(indexes[i]);
            }
        }
        return chunk;
    }

    private OutputColumn.Builder shape(int k) {
        OutputColumn.Builder out = OutputColumn.newBuilder();
        if (shapes[k] != null) {
            for (int d : shapes[k]) {
                out.addShape(d);
            }
        }
        return out;
    }

    private void clear() {
        Arrays.fill(shapes, null);
        count = 0;
        contiguous = true;
    }

    /** The index of the {@code i}-th collected task. */
    long index(int i) {
        return indexes[i];
    }

    int outputs() {
        return columns.length;
    }

    /** The shape of one value of output {@code k} in the collected tasks (empty: a scalar). */
    int[] shapeOf(int k) {
        return shapes[k];
    }

    /** The bytes of output {@code k}'s values of tasks {@code from .. from + n - 1}, as a view. */
    ByteBuffer rows(int k, int from, int n) {
        int rowBytes = product(shapes[k]) * elementSize;
        return columns[k].duplicate().limit((from + n) * rowBytes).position(from * rowBytes);
    }

    @Override
    public void set(int k, double value) {
        ByteBuffer column = start(k, 1, null);
        putDouble(k, column, value);
    }

    @Override
    public void set(int k, long value) {
        ByteBuffer column = start(k, 1, null);
        putLong(k, column, value);
    }

    @Override
    public void set(int k, double[] values, int... shape) {
        ByteBuffer column = start(k, values.length, shape);
        for (double v : values) {
            putDouble(k, column, v);
        }
    }

    @Override
    public void set(int k, float[] values, int... shape) {
        ByteBuffer column = start(k, values.length, shape);
        if (dtype == DType.FLOAT32) {
            column.asFloatBuffer().put(values);
            column.position(column.position() + values.length * 4);
            return;
        }
        for (float v : values) {
            putDouble(k, column, v);
        }
    }

    @Override
    public void set(int k, int[] values, int... shape) {
        ByteBuffer column = start(k, values.length, shape);
        for (int v : values) {
            putLong(k, column, v);
        }
    }

    @Override
    public void set(int k, long[] values, int... shape) {
        ByteBuffer column = start(k, values.length, shape);
        for (long v : values) {
            putLong(k, column, v);
        }
    }

    /** Checks output k and its shape, makes room for n values and returns its column. */
    private ByteBuffer start(int k, int n, int[] shape) {
        if (k < 0 || k >= columns.length) {
            throw new MismatchException("the task set output #" + k + " but the job has " + columns.length
                    + " outputs (named with --outputs)");
        }
        if (setInTask[k]) {
            throw new IllegalStateException("the task set output #" + k + " twice");
        }
        int[] actual = shape == null ? SCALAR : shape.length == 0 ? vector(k, n) : shape;
        if (shape != null && shape.length > 0 && product(shape) != n) {
            throw new IllegalArgumentException("output #" + k + ": shape " + Arrays.toString(shape) + " does not hold "
                    + n + " values");
        }
        if (shapes[k] == null) {
            shapes[k] = actual;
        } else if (!Arrays.equals(shapes[k], actual)) {
            throw new MismatchException("output #" + k + " has shape " + Arrays.toString(actual)
                    + " but earlier tasks gave " + Arrays.toString(shapes[k]));
        }
        setInTask[k] = true;
        ByteBuffer column = columns[k];
        int needed = n * elementSize;
        if (column.remaining() < needed) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(column.capacity() * 2, column.position() + needed))
                    .order(ByteOrder.LITTLE_ENDIAN);
            column.flip();
            bigger.put(column);
            columns[k] = bigger;
            column = bigger;
        }
        return column;
    }

    /** The shape (n,), reusing the one this output already has. */
    private int[] vector(int k, int n) {
        int[] known = shapes[k];
        return known != null && known.length == 1 && known[0] == n ? known : new int[] {n};
    }

    private static int product(int[] shape) {
        long p = 1;
        for (int d : shape) {
            if (d < 0) {
                return -1;
            }
            p *= d;
        }
        return p > Integer.MAX_VALUE ? -1 : (int) p;
    }

    /*
     * Conversions to the job's dtype follow numpy: a value that the dtype can't hold fails the task
     * (its output is rolled back) instead of being stored wrong. For integer dtypes a double's
     * fraction is dropped (as numpy's astype does), but NaN, infinities and values out of range are
     * refused; for float32 a finite double beyond float32's range is refused (it would become inf).
     */
    private void putDouble(int k, ByteBuffer column, double v) {
        switch (dtype) {
            case FLOAT32 -> {
                float f = (float) v;
                if (Float.isInfinite(f) && !Double.isInfinite(v)) {
                    throw unrepresentable(k, Double.toString(v));
                }
                column.putFloat(f);
            }
            case FLOAT64 -> column.putDouble(v);
            case INT32 -> {
                if (!(v > Integer.MIN_VALUE - 1.0 && v < Integer.MAX_VALUE + 1.0)) { // NaN fails both
                    throw unrepresentable(k, Double.toString(v));
                }
                column.putInt((int) v);
            }
            default -> {
                if (!(v >= -0x1p63 && v < 0x1p63)) {
                    throw unrepresentable(k, Double.toString(v));
                }
                column.putLong((long) v);
            }
        }
    }

    private void putLong(int k, ByteBuffer column, long v) {
        switch (dtype) {
            case FLOAT32 -> column.putFloat((float) v);
            case FLOAT64 -> column.putDouble((double) v);
            case INT32 -> {
                if (v != (int) v) {
                    throw unrepresentable(k, Long.toString(v));
                }
                column.putInt((int) v);
            }
            default -> column.putLong(v);
        }
    }

    private ArithmeticException unrepresentable(int k, String value) {
        String range = switch (dtype) {
            case INT32 -> "whole numbers from -2147483648 to 2147483647";
            case INT64 -> "whole numbers from -9223372036854775808 to 9223372036854775807";
            default -> "finite values up to +-3.4028235e38, and nan and +-inf";
        };
        return new ArithmeticException("output #" + k + ": " + value + " can't be stored as " + dtype.name().toLowerCase(java.util.Locale.ROOT)
                + " (it holds " + range + "); choose a wider --dtype or fix the value");
    }
}
