package io.jvmpool.args;

import io.jvmpool.proto.ArgColumn;
import io.jvmpool.proto.TaskChunk;
import java.util.List;

/**
 * The arguments of every task of a job, by task index: either the same values for all tasks
 * ({@code --args}) or one row per task ({@code --args-file}, {@code Pool.map}). Stored as typed
 * columns, and sent to workers as columns too.
 */
public final class ArgTable implements ArgSource {
    private final long rows;
    private final boolean constant;
    private final boolean[] floating;
    private final long[][] longs;
    private final double[][] doubles;

    private ArgTable(long rows, boolean constant, boolean[] floating, long[][] longs, double[][] doubles) {
        this.rows = rows;
        this.constant = constant;
        this.floating = floating;
        this.longs = longs;
        this.doubles = doubles;
    }

    /** The same arguments for each of {@code rows} tasks. Integers stay integers; any other number is a double. */
    public static ArgTable constant(List<? extends Number> values, long rows) {
        int n = values.size();
        boolean[] floating = new boolean[n];
        long[][] longs = new long[n][1];
        double[][] doubles = new double[n][1];
        for (int c = 0; c < n; c++) {
            Number v = values.get(c);
            floating[c] = !isIntegral(v);
            longs[c][0] = v.longValue();
            doubles[c][0] = v.doubleValue();
        }
        return new ArgTable(rows, true, floating, longs, doubles);
    }

    /** One row of arguments per task; every row must have the same length. */
    public static ArgTable rows(List<? extends List<? extends Number>> rows) {
        int n = rows.isEmpty() ? 0 : rows.get(0).size();
        boolean[] floating = new boolean[n];
        for (int r = 0; r < rows.size(); r++) {
            List<? extends Number> row = rows.get(r);
            if (row.size() != n) {
                throw new IllegalArgumentException("row " + r + " has " + row.size() + " arguments, row 0 has " + n);
            }
            for (int c = 0; c < n; c++) {
                floating[c] |= !isIntegral(row.get(c));
            }
        }
        long[][] longs = new long[n][];
        double[][] doubles = new double[n][];
        for (int c = 0; c < n; c++) {
            if (floating[c]) {
                doubles[c] = new double[rows.size()];
            } else {
                longs[c] = new long[rows.size()];
            }
            for (int r = 0; r < rows.size(); r++) {
                Number v = rows.get(r).get(c);
                if (floating[c]) {
                    doubles[c][r] = v.doubleValue();
                } else {
                    longs[c][r] = v.longValue();
                }
            }
        }
        return new ArgTable(rows.size(), false, floating, longs, doubles);
    }

    /** Columns already typed: for each column either its longs or its doubles is non-null. */
    static ArgTable columns(int rows, long[][] longs, double[][] doubles) {
        boolean[] floating = new boolean[longs.length];
        for (int c = 0; c < floating.length; c++) {
            floating[c] = longs[c] == null;
        }
        return new ArgTable(rows, false, floating, longs, doubles);
    }

    static boolean isIntegral(Number v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof java.math.BigInteger && ((java.math.BigInteger) v).bitLength() < 64;
    }

    /** How many tasks. */
    public long rows() {
        return rows;
    }

    @Override
    public long available() {
        return rows;
    }

    @Override
    public boolean endsAt(long finished) {
        return finished >= rows;
    }

    /** A SHA-256 of every task's arguments (hex): what tells one job's arguments from another's. */
    public String sha256() {
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8);
            java.util.function.LongConsumer add = v -> d.update(b.clear().putLong(v).array());
            add.accept(rows);
            add.accept(constant ? 1 : 0);
            for (int c = 0; c < floating.length; c++) {
                add.accept(floating[c] ? 1 : 0);
                int n = constant ? 1 : (int) rows;
                for (int r = 0; r < n; r++) {
                    add.accept(floating[c] ? Double.doubleToLongBits(doubles[c][r]) : longs[c][r]);
                }
            }
            return java.util.HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many arguments each task has. */
    public int columns() {
        return floating.length;
    }

    /**
     * Adds the arguments of the tasks of {@code batch} (its index list, or its range) to it, as
     * columns; arguments that are the same for every task go as one value per column.
     */
    @Override
    public void appendArgs(TaskChunk.Builder batch) {
        boolean listed = batch.getIndexCount() > 0;
        int n = constant ? 1 : listed ? batch.getIndexCount() : batch.getCount();
        for (int c = 0; c < floating.length; c++) {
            ArgColumn.Builder column = ArgColumn.newBuilder().setFloating(floating[c]);
            for (int i = 0; i < n; i++) {
                int r = constant ? 0 : (int) (listed ? batch.getIndex(i) : batch.getFirst() + i);
                if (floating[c]) {
                    column.addF64(doubles[c][r]);
                } else {
                    column.addI64(longs[c][r]);
                }
            }
            batch.addArgs(column);
        }
    }

    @Override
    public String describe(long index) {
        int r = constant ? 0 : (int) index;
        String[] values = new String[floating.length];
        for (int c = 0; c < values.length; c++) {
            values[c] = floating[c] ? Double.toString(doubles[c][r]) : Long.toString(longs[c][r]);
        }
        return pythonTuple(values);
    }

    /** Values as Python prints a tuple of them: {@code (1, 2)}, {@code (1,)}, {@code ()}. */
    static String pythonTuple(String[] values) {
        return "(" + String.join(", ", values) + (values.length == 1 ? ",)" : ")");
    }
}
