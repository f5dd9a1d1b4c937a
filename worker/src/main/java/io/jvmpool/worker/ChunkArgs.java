package io.jvmpool.worker;

import io.jvmpool.api.Args;
import io.jvmpool.proto.ArgColumn;
import io.jvmpool.proto.TaskChunk;
import java.util.List;

/** The arguments of one row of a {@link TaskChunk}; a column with a single value gives it to every row. */
final class ChunkArgs implements Args {
    private final List<String> names;
    private List<ArgColumn> columns = List.of();
    private int size;
    private int row;

    /** @param names the arguments' names (an args file's header), for messages; empty to name them by position */
    ChunkArgs(List<String> names) {
        this.names = names;
    }

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
        ArgColumn c = columns.get(i);
        return !c.getFloating() && !c.getTextual();
    }

    @Override
    public boolean isText(int i) {
        return columns.get(i).getTextual();
    }

    @Override
    public long getLong(int i) {
        ArgColumn c = number(i);
        return c.getFloating() ? (long) c.getF64(rowIn(c.getF64Count())) : c.getI64(rowIn(c.getI64Count()));
    }

    @Override
    public double getDouble(int i) {
        ArgColumn c = number(i);
        return c.getFloating() ? c.getF64(rowIn(c.getF64Count())) : c.getI64(rowIn(c.getI64Count()));
    }

    @Override
    public String getString(int i) {
        ArgColumn c = columns.get(i);
        return c.getTextual() ? c.getText(rowIn(c.getTextCount())) : Args.super.getString(i);
    }

    /** Column {@code i}, which must hold numbers. */
    private ArgColumn number(int i) {
        ArgColumn c = columns.get(i);
        if (c.getTextual()) {
            String text = c.getText(rowIn(c.getTextCount()));
            throw new IllegalArgumentException("argument " + i + (i < names.size() ? " ('" + names.get(i) + "')" : "") + " is text, not a number: '"
                    + (text.length() > 40 ? text.substring(0, 37) + "..." : text) + "'; read it with getString");
        }
        return c;
    }

    /** The row to read in a column of {@code n} values: a single value stands for every row. */
    private int rowIn(int n) {
        return n == 1 ? 0 : row;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < size(); i++) {
            s.append(i == 0 ? "" : ", ").append(isText(i) ? "'" + getString(i) + "'" : isInteger(i) ? Long.toString(getLong(i))
                    : Double.toString(getDouble(i)));
        }
        return s.append(")").toString();
    }
}
