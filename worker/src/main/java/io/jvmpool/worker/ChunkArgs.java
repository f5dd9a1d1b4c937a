package io.jvmpool.worker;

import io.jvmpool.api.Args;
import io.jvmpool.proto.ArgColumn;
import io.jvmpool.proto.TaskChunk;
import java.util.List;

/** The arguments of one row of a {@link TaskChunk}; a column with a single value gives it to every row. */
final class ChunkArgs implements Args {
    private List<ArgColumn> columns = List.of();
    private int size;
    private int row;

    /** Points at row {@code row} of {@code chunk}. */
    ChunkArgs at(TaskChunk chunk, int row) {
        List<ArgColumn> c = chunk.getArgsList();
        if (c != columns) {
            columns = c;
            size = c.size();
        }
        this.row = row;
        return this;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isInteger(int i) {
        return !columns.get(i).getFloating();
    }

    @Override
    public long getLong(int i) {
        ArgColumn c = columns.get(i);
        return c.getFloating() ? (long) c.getF64(rowIn(c.getF64Count())) : c.getI64(rowIn(c.getI64Count()));
    }

    @Override
    public double getDouble(int i) {
        ArgColumn c = columns.get(i);
        return c.getFloating() ? c.getF64(rowIn(c.getF64Count())) : c.getI64(rowIn(c.getI64Count()));
    }

    /** The row to read in a column of {@code n} values: a single value stands for every row. */
    private int rowIn(int n) {
        return n == 1 ? 0 : row;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < size(); i++) {
            s.append(i == 0 ? "" : ", ").append(isInteger(i) ? Long.toString(getLong(i)) : Double.toString(getDouble(i)));
        }
        return s.append(")").toString();
    }
}
