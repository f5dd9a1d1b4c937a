package io.jvmpool.args;

import io.jvmpool.proto.ArgColumn;
import io.jvmpool.proto.TaskChunk;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Task arguments that arrive while the job runs: rows read lazily from a caller's
 * {@code Iterable}, or tasks submitted one by one. Only the rows of unfinished tasks are kept, and
 * a bounded stream lets its writer run at most {@code maxInFlight} rows ahead of the reader of the
 * results, so that a job of any length runs in flat memory.
 *
 * <p>Each row keeps its own types: a message to a worker holds rows typed alike, so a task sees an
 * integer as a {@code long}, text ({@code String}) as text and any other number as a {@code double},
 * whatever its neighbours hold.
 */
public final class ArgStream implements ArgSource {
    /** One task's arguments: each value's kind, and its bits (a long, or a double's raw bits) or its text. */
    private record Row(ValueKind[] kinds, long[] bits, String[] texts) {
    }

    private final Map<Long, Row> pending = new HashMap<>();
    private final long maxInFlight;
    private final boolean endsWhenDrained;
    private long added;
    private long consumed;
    private boolean closed;

    private ArgStream(long maxInFlight, boolean endsWhenDrained) {
        this.maxInFlight = maxInFlight;
        this.endsWhenDrained = endsWhenDrained;
    }

    /** Rows read ahead of their results by at most {@code maxInFlight}; the writer {@link #close}s it after the last. */
    public static ArgStream bounded(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
        }
        return new ArgStream(maxInFlight, false);
    }

    /**
     * Rows submitted one by one: the stream (and its job) ends as soon as every row added so far is
     * finished, and takes no row after that.
     */
    public static ArgStream open() {
        return new ArgStream(Long.MAX_VALUE, true);
    }

    /**
     * Adds the next task's row and returns its index; waits while {@code maxInFlight} rows are
     * ahead of the reader. Returns -1 when the stream has ended and takes no more rows.
     */
    public synchronized long add(List<?> values) throws InterruptedException {
        ValueKind[] kinds = new ValueKind[values.size()];
        long[] bits = new long[values.size()];
        String[] texts = null;
        for (int c = 0; c < bits.length; c++) {
            Object v = values.get(c);
            if (v instanceof CharSequence text) {
                texts = texts == null ? new String[bits.length] : texts;
                texts[c] = (String) ArgTable.normal(text, added, c); // checked as a table checks its text
                kinds[c] = ValueKind.TEXT;
            } else if (v instanceof Number n) {
                kinds[c] = ArgTable.isIntegral(n) ? ValueKind.INTEGER : ValueKind.FLOATING;
                bits[c] = kinds[c] == ValueKind.FLOATING ? Double.doubleToRawLongBits(n.doubleValue()) : n.longValue();
            } else {
                throw new IllegalArgumentException("task " + added + ": argument " + c + (v == null ? " is null"
                        : " is a " + v.getClass().getSimpleName() + "; arguments are numbers or text (String)"));
            }
        }
        while (!closed && added - consumed >= maxInFlight) {
            wait();
        }
        if (closed) {
            return -1;
        }
        pending.put(added, new Row(kinds, bits, texts));
        return added++;
    }

    /** No row comes after those added. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** The reader has taken {@code n} more results (or given up on them): as many rows may follow. */
    public synchronized void consumed(long n) {
        consumed += n;
        notifyAll();
    }

    /** How many rows were added. */
    public synchronized long added() {
        return added;
    }

    @Override
    public synchronized long available() {
        return added;
    }

    @Override
    public synchronized boolean endsAt(long finished) {
        if (finished >= added && endsWhenDrained) {
            closed = true;
        }
        return closed && finished >= added;
    }

    @Override
    public synchronized int run(long first, int max) {
        Row head = pending.get(first);
        int n = 1;
        while (n < max && first + n < added) {
            Row next = pending.get(first + n);
            if (next == null || !Arrays.equals(next.kinds, head.kinds)) {
                break;
            }
            n++;
        }
        return n;
    }

    @Override
    public synchronized void appendArgs(TaskChunk.Builder chunk) {
        boolean listed = chunk.getIndexCount() > 0;
        int n = listed ? chunk.getIndexCount() : chunk.getCount();
        Row[] rows = new Row[n];
        for (int i = 0; i < n; i++) {
            rows[i] = row(listed ? chunk.getIndex(i) : chunk.getFirst() + i);
        }
        int columns = rows[0].bits.length;
        for (int c = 0; c < columns; c++) {
            ValueKind kind = rows[0].kinds[c];
            ArgColumn.Builder column = ArgColumn.newBuilder().setFloating(kind == ValueKind.FLOATING).setTextual(kind == ValueKind.TEXT);
            for (Row r : rows) {
                switch (kind) {
                    case TEXT -> column.addText(r.texts[c]);
                    case FLOATING -> column.addF64(Double.longBitsToDouble(r.bits[c]));
                    default -> column.addI64(r.bits[c]);
                }
            }
            chunk.addArgs(column);
        }
    }

    @Override
    public synchronized String describe(long index) {
        Row r = pending.get(index);
        if (r == null) {
            return "(?)";
        }
        String[] values = new String[r.bits.length];
        for (int c = 0; c < values.length; c++) {
            values[c] = switch (r.kinds[c]) {
                case TEXT -> ArgTable.pythonRepr(r.texts[c]);
                case FLOATING -> Double.toString(Double.longBitsToDouble(r.bits[c]));
                default -> Long.toString(r.bits[c]);
            };
        }
        return ArgTable.pythonTuple(values);
    }

    @Override
    public synchronized void finished(long index) {
        pending.remove(index);
    }

    private Row row(long index) {
        Row r = pending.get(index);
        if (r == null) {
            throw new IllegalStateException("task " + index + " has no arguments here (finished, or never added)");
        }
        return r;
    }
}
