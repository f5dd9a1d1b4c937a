package io.jvmpool.worker;

import io.jvmpool.api.Args;
import io.jvmpool.proto.ArgColumn;
import io.jvmpool.proto.TaskBatch;
import io.jvmpool.proto.Value;
import java.util.List;

/** The arguments of one row of a {@link TaskBatch}, or the job's constant arguments. */
final class BatchArgs implements Args {
    private final List<Value> constant;
    private List<ArgColumn> columns = List.of();
    private int row;

    BatchArgs(List<Value> constant) {
        this.constant = constant;
    }

    /** Points at row {@code row} of {@code batch}; a batch without columns uses the constant arguments. */
    BatchArgs at(TaskBatch batch, int row) {
        this.columns = batch.getArgsList();
        this.row = row;
        return this;
    }

    @Override
    public int size() {
        return columns.isEmpty() ? constant.size() : columns.size();
    }

    @Override
    public boolean isInteger(int i) {
        return columns.isEmpty()
                ? constant.get(i).getKindCase() == Value.KindCase.I64
                : !columns.get(i).getFloating();
    }

    @Override
    public long getLong(int i) {
        if (columns.isEmpty()) {
            Value v = constant.get(i);
            return v.getKindCase() == Value.KindCase.I64 ? v.getI64() : (long) v.getF64();
        }
        ArgColumn c = columns.get(i);
        return c.getFloating() ? (long) c.getF64(row) : c.getI64(row);
    }

    @Override
    public double getDouble(int i) {
        if (columns.isEmpty()) {
            Value v = constant.get(i);
            return v.getKindCase() == Value.KindCase.I64 ? v.getI64() : v.getF64();
        }
        ArgColumn c = columns.get(i);
        return c.getFloating() ? c.getF64(row) : c.getI64(row);
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
