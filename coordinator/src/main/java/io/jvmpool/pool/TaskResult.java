package io.jvmpool.pool;

import io.jvmpool.rows.TaskRows;
import io.jvmpool.rows.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** One finished task's outputs, as {@link Pool#map} and {@link Pool#imapUnordered} return them. */
public final class TaskResult {
    private final long index;
    private final int[][] shapes;
    private final double[][] values;

    /** Row {@code row} of {@code rows}, the result of task {@code index}; output k is of {@code dtypes.get(k)}. */
    TaskResult(long index, java.util.List<DType> dtypes, TaskRows rows, int row) {
        this.index = index;
        int k = rows.outputs();
        this.shapes = new int[k][];
        this.values = new double[k][];
        for (int i = 0; i < k; i++) {
            shapes[i] = rows.shape(i).clone();
            byte[] raw = new byte[rows.rowBytes(i)];
            rows.copyTo(i, row, 1, raw, 0);
            ByteBuffer in = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            DType dtype = dtypes.get(i);
            double[] v = new double[raw.length / dtype.size()];
            for (int e = 0; e < v.length; e++) {
                v[e] = value(dtype, in);
            }
            values[i] = v;
        }
    }

    /** The next element of {@code in}, as a double (a uint64 beyond 2^53 rounded; bool as 1 and 0). */
    private static double value(DType dtype, ByteBuffer in) {
        return switch (dtype) {
            case FLOAT32 -> in.getFloat();
            case FLOAT64 -> in.getDouble();
            case FLOAT16 -> io.jvmpool.shared.Float16.toDouble(in.getShort());
            case INT32 -> in.getInt();
            case INT64 -> in.getLong();
            case INT8, BOOL -> in.get();
            case UINT8 -> in.get() & 0xff;
            case INT16 -> in.getShort();
            case UINT16 -> in.getShort() & 0xffff;
            case UINT32 -> in.getInt() & 0xffff_ffffL;
            case UINT64 -> {
                long bits = in.getLong();
                yield bits >= 0 ? bits : (bits >>> 1) * 2.0 + (bits & 1);
            }
        };
    }

    /** The task's index: its position in the argument list. */
    public long index() {
        return index;
    }

    public int outputs() {
        return values.length;
    }

    /** Output {@code k} as a scalar (the first element of an array output). */
    public double get(int k) {
        return values[k][0];
    }

    /** Output {@code k}'s elements in C order. */
    public double[] values(int k) {
        return values[k].clone();
    }

    /** Output {@code k}'s shape; empty for a scalar. */
    public int[] shape(int k) {
        return shapes[k].clone();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TaskResult[" + index + ": ");
        for (int k = 0; k < values.length; k++) {
            s.append(k == 0 ? "" : ", ").append(shapes[k].length == 0 ? Double.toString(values[k][0]) : Arrays.toString(values[k]));
        }
        return s.append("]").toString();
    }
}
