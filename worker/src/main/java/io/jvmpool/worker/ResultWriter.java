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
 * Collects the outputs of a run of tasks as raw little-endian elements of each output's dtype, one
 * column per output, ready to send as one {@link ResultChunk} or to write into the batch files
 * ({@link InPlaceRows}). Converts each value once, here ({@link Elements}), so that the coordinator
 * only copies bytes into place. The columns are direct buffers, kept from message to message: a file
 * or a message takes them without another copy (no new array per message, which a large result would
 * make a humongous allocation in fresh memory).
 */
final class ResultWriter implements Outputs {
    /** The task's outputs don't fit the job (count or shape): a mistake in the job, not in one task. */
    static final class MismatchException extends IllegalArgumentException {
        MismatchException(String message) {
            super(message);
        }
    }

    private final Elements[] elements;
    private final ByteBuffer[] columns;
    private final int[][] shapes;
    /** The shape each output's value must have, when the task declares one; null otherwise. */
    private final int[][] declaredShapes;
    private final String[] names;
    private final int[] taskStart;
    private final boolean[] setInTask;
    private static final int[] SCALAR = new int[0];
    private long[] indexes = new long[64];
    private int count;
    /** Whether the indexes so far run first, first + 1, ...: then they travel as a range. */
    private boolean contiguous = true;

    /** Outputs all of one dtype. */
    ResultWriter(DType dtype, int outputs) {
        this(java.util.Collections.nCopies(outputs, dtype));
    }

    /** One output per dtype, in order. */
    ResultWriter(java.util.List<DType> dtypes) {
        int outputs = dtypes.size();
        this.elements = new Elements[outputs];
        for (int k = 0; k < outputs; k++) {
            elements[k] = new Elements(dtypes.get(k), k);
        }
        this.columns = new ByteBuffer[outputs];
        this.declaredShapes = new int[outputs][];
        this.names = new String[outputs];
        this.shapes = new int[outputs][];
        this.taskStart = new int[outputs];
        this.setInTask = new boolean[outputs];
        for (int k = 0; k < outputs; k++) {
            columns[k] = ByteBuffer.allocateDirect(1024).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** What the task declares: each output's value must then have the declared shape. */
    void declare(java.util.List<io.jvmpool.api.Output> declared) {
        for (int k = 0; k < declared.size() && k < names.length; k++) {
            names[k] = declared.get(k).name();
            declaredShapes[k] = declared.get(k).shape();
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
        int rowBytes = product(shapes[k]) * elements[k].size();
        return columns[k].duplicate().limit((from + n) * rowBytes).position(from * rowBytes);
    }

    @Override
    public void set(int k, double value) {
        elements[k(k)].putDouble(start(k, 1, null), value);
    }

    @Override
    public void set(int k, long value) {
        elements[k(k)].putLong(start(k, 1, null), value);
    }

    @Override
    public void set(int k, double[] values, int... shape) {
        elements[k(k)].putDoubles(start(k, values.length, shape), values);
    }

    @Override
    public void set(int k, float[] values, int... shape) {
        elements[k(k)].putFloats(start(k, values.length, shape), values);
    }

    @Override
    public void set(int k, int[] values, int... shape) {
        elements[k(k)].putInts(start(k, values.length, shape), values);
    }

    @Override
    public void set(int k, long[] values, int... shape) {
        elements[k(k)].putLongs(start(k, values.length, shape), values);
    }

    @Override
    public void set(int k, byte[] values, int... shape) {
        elements[k(k)].putBytes(start(k, values.length, shape), values);
    }

    @Override
    public void set(int k, short[] values, int... shape) {
        elements[k(k)].putShorts(start(k, values.length, shape), values);
    }

    @Override
    public void set(int k, boolean[] values, int... shape) {
        elements[k(k)].putBooleans(start(k, values.length, shape), values);
    }

    /** {@code k}, if the job has that output. */
    private int k(int k) {
        if (k < 0 || k >= columns.length) {
            throw new MismatchException("the task set output #" + k + " but the job has " + columns.length
                    + " outputs (named with --outputs)");
        }
        return k;
    }

    /** Checks output k and its shape, makes room for n values and returns its column. */
    private ByteBuffer start(int k, int n, int[] shape) {
        if (setInTask[k]) {
            throw new IllegalStateException("the task set output #" + k + " twice");
        }
        int[] actual = shape == null ? SCALAR : shape.length == 0 ? vector(k, n) : shape;
        if (shape != null && shape.length > 0 && product(shape) != n) {
            throw new IllegalArgumentException("output #" + k + ": shape " + Arrays.toString(shape) + " does not hold "
                    + n + " values");
        }
        if (declaredShapes[k] != null && !Arrays.equals(declaredShapes[k], actual)) {
            throw new MismatchException("output #" + k + " ('" + names[k] + "') has shape " + Arrays.toString(actual)
                    + " but the task declares " + Arrays.toString(declaredShapes[k]));
        }
        if (shapes[k] == null) {
            shapes[k] = actual;
        } else if (!Arrays.equals(shapes[k], actual)) {
            throw new MismatchException("output #" + k + " has shape " + Arrays.toString(actual)
                    + " but earlier tasks gave " + Arrays.toString(shapes[k]));
        }
        setInTask[k] = true;
        ByteBuffer column = columns[k];
        int needed = n * elements[k].size();
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
}
