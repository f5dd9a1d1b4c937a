package io.jvmpool.launch;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * One stream (stdout or stderr) of a worker, cut into lines for {@link WorkerLines}: in bounded
 * pieces, never held whole, so that nothing a task prints can grow the coordinator's memory. A line
 * longer than {@link #MAX_LINE_BYTES} is passed on in pieces (said once). On a terminal, a line
 * written as {@code \r}-separated progress shows as its latest part (and, while it goes on, at most
 * once a second); elsewhere every byte is passed on as it came. Never throws: the pump that feeds
 * it must never stop reading.
 */
final class WorkerOutput extends OutputStream {
    /** A longer line is passed on in pieces of this size. */
    static final int MAX_LINE_BYTES = 64 << 10;
    private static final long PROGRESS_NANOS = 1_000_000_000L;

    private final int index;
    private final WorkerLines lines;
    private final boolean terminal;
    private byte[] line = new byte[256];
    private int length;
    /** On a terminal: the line so far is a part that a {@code \r} ended; the next byte starts a new one in its place. */
    private boolean partEnded;
    /** The ended part was shown already (as progress): a newline right after it shows nothing more. */
    private boolean partShown;
    private long lastProgress;
    private boolean saidLong;

    /** @param terminal whether the lines end up on a terminal (the coordinator's stderr is one) */
    WorkerOutput(int index, WorkerLines lines, boolean terminal) {
        this.index = index;
        this.lines = lines;
        this.terminal = terminal;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            if (partEnded && partShown) {
                reset(); // "done\r\n": shown when its \r came
            } else {
                emit();
            }
            return;
        }
        if (b == '\r' && terminal) {
            if (length > 0 && !partEnded) {
                partEnded = true;
                long now = System.nanoTime();
                partShown = lastProgress == 0 || now - lastProgress >= PROGRESS_NANOS;
                if (partShown) { // progress that goes on: its state now and then
                    lastProgress = now;
                    lines.add(index, Arrays.copyOf(line, length));
                }
            }
            return;
        }
        if (partEnded) { // a new part replaces the one a \r ended
            partEnded = false;
            length = 0;
        }
        if (length == MAX_LINE_BYTES) {
            if (!saidLong) {
                saidLong = true;
                lines.note(index, "(a line longer than " + (MAX_LINE_BYTES >> 10) + " KiB: passed on in pieces)");
            }
            lines.add(index, Arrays.copyOf(line, length));
            length = 0;
        }
        if (length == line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, line.length * 2));
        }
        line[length++] = (byte) b;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    /** The stream ended: what is left of a last line without a newline is passed on too. */
    @Override
    public synchronized void close() {
        if (length > 0) {
            emit();
        }
    }

    private void emit() {
        lines.add(index, Arrays.copyOf(line, length));
        reset();
    }

    private void reset() {
        length = 0;
        partEnded = false;
        partShown = false;
        lastProgress = 0;
    }
}
