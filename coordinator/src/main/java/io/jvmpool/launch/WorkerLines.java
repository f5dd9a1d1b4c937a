package io.jvmpool.launch;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Prints the workers' output lines on the coordinator's stderr, each after its worker's name
 * ({@code [w0] ...}), on a thread of its own: a worker never waits for the coordinator's stderr,
 * so a task's output can't stall the job. What waits is bounded ({@link #MAX_QUEUED_BYTES}); beyond
 * that, lines are dropped and counted, and the count is said. On a terminal each line is made safe
 * ({@link TerminalText}); elsewhere its bytes pass as they came.
 */
final class WorkerLines {
    /** At most this much output waits to be printed; beyond it, lines are dropped (and counted). */
    static final long MAX_QUEUED_BYTES = 8 << 20;

    private record Line(int index, byte[] bytes, String note) {
    }

    /** Whether stderr is a terminal, asked for each line: a warm pool's stderr is each job's client's. */
    private final java.util.function.BooleanSupplier terminal;
    /** Where lines go, looked up for each line: the live view routes System.err above itself while it runs. */
    private final java.util.function.Supplier<PrintStream> err;
    private final ArrayDeque<Line> queue = new ArrayDeque<>();
    private long queuedBytes;
    private long dropped;
    private Thread printer;

    WorkerLines(java.util.function.BooleanSupplier terminal) {
        this(terminal, () -> System.err);
    }

    WorkerLines(boolean terminal, java.util.function.Supplier<PrintStream> err) {
        this(() -> terminal, err);
    }

    WorkerLines(java.util.function.BooleanSupplier terminal, java.util.function.Supplier<PrintStream> err) {
        this.terminal = terminal;
        this.err = err;
    }

    boolean terminal() {
        return terminal.getAsBoolean();
    }

    /** A line of worker {@code index}'s output (without its newline). */
    void add(int index, byte[] bytes) {
        offer(new Line(index, bytes, null));
    }

    /** A note of ours about worker {@code index}'s output. */
    void note(int index, String text) {
        offer(new Line(index, null, text));
    }

    private synchronized void offer(Line line) {
        long size = line.bytes == null ? 64 : line.bytes.length + 8;
        if (queuedBytes + size > MAX_QUEUED_BYTES) {
            dropped++;
            return;
        }
        queue.add(line);
        queuedBytes += size;
        if (printer == null) {
            printer = new Thread(this::print, "jvmpool-worker-output");
            printer.setDaemon(true);
            printer.start();
        }
        notifyAll();
    }

    /** Waits up to {@code millis} until every line handed over so far is printed (a worker's last words before a summary). */
    synchronized void drain(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (!queue.isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void print() {
        while (true) {
            Line next;
            long lost;
            synchronized (this) {
                while (queue.isEmpty()) {
                    notifyAll();
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                next = queue.poll();
                queuedBytes -= next.bytes == null ? 64 : next.bytes.length + 8;
                lost = dropped;
                dropped = 0;
            }
            PrintStream err = this.err.get();
            if (lost > 0) {
                err.println("[w" + next.index + "] (" + lost + " lines of worker output dropped: stderr did not keep up)");
            }
            String prefix = "[w" + next.index + "] ";
            if (next.note != null) {
                err.println(prefix + next.note);
            } else if (terminal.getAsBoolean()) {
                err.println(prefix + TerminalText.safe(new String(next.bytes, StandardCharsets.UTF_8)));
            } else {
                synchronized (err) { // the bytes as they came, in one piece
                    err.write(prefix.getBytes(StandardCharsets.UTF_8), 0, prefix.length());
                    err.write(next.bytes, 0, next.bytes.length);
                    err.write('\n');
                    err.flush();
                }
            }
        }
    }
}
