package io.jvmpool.args;

import io.jvmpool.proto.ArgColumn;
import io.jvmpool.proto.TaskChunk;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The arguments of every task of a job, by task index, known before the job starts: the same
 * values for all tasks ({@code --args}), one row per task in memory ({@code Pool.map}), or the rows
 * of an args file, read from the file as tasks go out ({@link ArgsFile}: the coordinator's memory does
 * not grow with the file). Each column is of one kind: whole numbers, other numbers, or text. Sent
 * to workers as typed columns.
 */
public final class ArgTable implements ArgSource {
    /** A text value may be at most this long (UTF-8 bytes). */
    public static final int MAX_TEXT_BYTES = 64 << 10;

    /** Where the values are: a row of values for every task, or for each task its own. */
    interface Rows {
        long count();

        int columns();

        ValueKind kind(int column);

        /** Task {@code index}'s value in column {@code c}: a Long, a Double or a String. */
        Object value(long index, int c);

        /** The task's values are needed no more. */
        default void finished(long index) {
        }

        /** The column names, or empty. */
        default List<String> names() {
            return List.of();
        }

        /** A SHA-256 over every task's values, in hex. */
        String sha256();
    }

    private final Rows rows;
    private final boolean constant;

    private ArgTable(Rows rows, boolean constant) {
        this.rows = rows;
        this.constant = constant;
    }

    /**
     * The same arguments for each of {@code rows} tasks: numbers (integers stay integers; any
     * other number is a double) or text ({@code String}).
     */
    public static ArgTable constant(List<?> values, long rows) {
        Object[] row = new Object[values.size()];
        ValueKind[] kinds = new ValueKind[row.length];
        for (int c = 0; c < row.length; c++) {
            row[c] = normal(values.get(c), 0, c);
            kinds[c] = kindOf(row[c]);
        }
        return new ArgTable(new InMemory(rows, kinds, new Object[][] {row}, true), true);
    }

    /**
     * One row of arguments per task; every row must have the same length, and a column is all
     * numbers or all text ({@code String}).
     */
    public static ArgTable rows(List<? extends List<?>> rows) {
        int n = rows.isEmpty() ? 0 : rows.get(0).size();
        ValueKind[] kinds = new ValueKind[n];
        Object[][] values = new Object[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            List<?> row = rows.get(r);
            if (row.size() != n) {
                throw new IllegalArgumentException("row " + r + " has " + row.size() + " arguments, row 0 has " + n);
            }
            values[r] = new Object[n];
            for (int c = 0; c < n; c++) {
                Object v = normal(row.get(c), r, c);
                values[r][c] = v;
                ValueKind k = kindOf(v);
                if (kinds[c] == null || kinds[c] == ValueKind.INTEGER && k == ValueKind.FLOATING) {
                    kinds[c] = k;
                } else if ((kinds[c] == ValueKind.TEXT) != (k == ValueKind.TEXT)) {
                    throw new IllegalArgumentException("column " + c + " holds text and numbers (row " + r + ": " + v
                            + "): a column is all numbers or all text");
                }
            }
        }
        for (Object[] row : values) {
            for (int c = 0; c < n; c++) {
                if (kinds[c] == ValueKind.FLOATING && row[c] instanceof Long l) {
                    row[c] = l.doubleValue(); // a column with any non-integer is all doubles
                }
            }
        }
        return new ArgTable(new InMemory(rows.size(), kinds, values, false), false);
    }

    /** The rows of an args file, checked by {@link ArgsFile#scan}. */
    static ArgTable file(Rows fileRows) {
        return new ArgTable(fileRows, false);
    }

    /** A value as the table keeps it: a Long, a Double or a String (of at most 64 KiB). */
    static Object normal(Object v, long row, int column) {
        if (v == null) {
            throw new IllegalArgumentException("task " + row + ": argument " + column + " is null");
        }
        if (v instanceof CharSequence text) {
            String s = text.toString();
            if (s.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
                throw new IllegalArgumentException("task " + row + ": argument " + column + " is text longer than 64 KiB");
            }
            return s;
        }
        if (v instanceof Number number) {
            return isIntegral(number) ? (Object) number.longValue() : (Object) number.doubleValue();
        }
        throw new IllegalArgumentException("task " + row + ": argument " + column + " is a " + v.getClass().getSimpleName()
                + "; arguments are numbers or text (String)");
    }

    private static ValueKind kindOf(Object v) {
        return v instanceof String ? ValueKind.TEXT : v instanceof Long ? ValueKind.INTEGER : ValueKind.FLOATING;
    }

    static boolean isIntegral(Number v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof java.math.BigInteger && ((java.math.BigInteger) v).bitLength() < 64;
    }

    /** How many tasks. */
    public long rows() {
        return rows.count();
    }

    @Override
    public long available() {
        return rows.count();
    }

    @Override
    public boolean endsAt(long finished) {
        return finished >= rows.count();
    }

    /** A SHA-256 of every task's arguments (hex): what tells one job's arguments from another's. */
    public String sha256() {
        return rows.sha256();
    }

    /** How many arguments each task has. */
    public int columns() {
        return rows.columns();
    }

    /** The columns' names (an args file's header), or empty where they have none. */
    public List<String> names() {
        return rows.names();
    }

    /**
     * Adds the arguments of the tasks of {@code chunk} (its index list, or its range) to it, as
     * columns; arguments that are the same for every task go as one value per column.
     */
    @Override
    public void appendArgs(TaskChunk.Builder chunk) {
        boolean listed = chunk.getIndexCount() > 0;
        int n = constant ? 1 : listed ? chunk.getIndexCount() : chunk.getCount();
        for (int c = 0; c < rows.columns(); c++) {
            ValueKind kind = rows.kind(c);
            ArgColumn.Builder column = ArgColumn.newBuilder().setFloating(kind == ValueKind.FLOATING).setTextual(kind == ValueKind.TEXT);
            for (int i = 0; i < n; i++) {
                long index = constant ? 0 : listed ? chunk.getIndex(i) : chunk.getFirst() + i;
                Object v = rows.value(index, c);
                switch (kind) {
                    case TEXT -> column.addText((String) v);
                    case FLOATING -> column.addF64(((Number) v).doubleValue());
                    default -> column.addI64((Long) v);
                }
            }
            chunk.addArgs(column);
        }
    }

    @Override
    public String describe(long index) {
        String[] values = new String[rows.columns()];
        for (int c = 0; c < values.length; c++) {
            Object v;
            try {
                v = rows.value(constant ? 0 : index, c);
            } catch (IllegalStateException e) {
                return "(?)";
            }
            values[c] = v instanceof String s ? pythonRepr(s) : v.toString();
        }
        return pythonTuple(values);
    }

    @Override
    public void finished(long index) {
        rows.finished(index);
    }

    /** Values as Python prints a tuple of them: {@code (1, 2)}, {@code (1,)}, {@code ()}. */
    static String pythonTuple(String[] values) {
        return "(" + String.join(", ", values) + (values.length == 1 ? ",)" : ")");
    }

    /** Text as Python's repr writes it, shortened: {@code 'resnet'}. */
    static String pythonRepr(String s) {
        String shown = s.length() > 40 ? s.substring(0, 37) + "..." : s;
        return "'" + shown.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\t", "\\t") + "'";
    }

    /** A SHA-256 over values fed to it, as the tables compute theirs. */
    static final class Digest {
        private final MessageDigest d;
        private final ByteBuffer b = ByteBuffer.allocate(8);

        Digest() {
            try {
                d = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        void add(long v) {
            d.update(b.clear().putLong(v).array());
        }

        /** A value: a long as it is, a double by its bits, text by its length and UTF-8 bytes. */
        void add(Object v) {
            if (v instanceof String s) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                add(utf8.length);
                d.update(utf8);
            } else if (v instanceof Double x) {
                add(Double.doubleToLongBits(x));
            } else {
                add(((Long) v).longValue());
            }
        }

        String hex() {
            return HexFormat.of().formatHex(d.digest());
        }
    }

    /** Rows held in memory: one row standing for all tasks, or one per task. */
    private record InMemory(long count, ValueKind[] kinds, Object[][] values, boolean oneForAll) implements Rows {
        @Override
        public int columns() {
            return kinds.length;
        }

        @Override
        public ValueKind kind(int column) {
            return kinds[column];
        }

        @Override
        public Object value(long index, int c) {
            return values[oneForAll ? 0 : (int) index][c];
        }

        /** Hashed as earlier versions hashed numeric tables (text adds its kind and bytes), so that --resume finds the same job. */
        @Override
        public String sha256() {
            Digest d = new Digest();
            d.add(count);
            d.add(oneForAll ? 1 : 0);
            for (int c = 0; c < kinds.length; c++) {
                d.add(kinds[c] == ValueKind.FLOATING ? 1 : kinds[c] == ValueKind.TEXT ? 2 : 0);
                int n = oneForAll ? 1 : (int) count;
                for (int r = 0; r < n; r++) {
                    d.add(values[r][c]);
                }
            }
            return d.hex();
        }
    }
}
