package io.jvmpool.progress;

import io.jvmpool.pool.PoolSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Shows the job on stderr while it runs. On a terminal: a tqdm-like bar with one row per worker
 * under it (the live region), redrawn in place about twice a second, cut to the terminal's width and
 * reduced to the bar at the end. Lines printed while it runs (result paths on stdout, log lines on
 * stderr) go above the live region and stay, as {@code tqdm.write} does. Elsewhere (a file, a pipe):
 * one summary line every few seconds.
 */
public final class ProgressReporter implements AutoCloseable {
    private final PrintStream err;
    private final boolean tty;
    private final Supplier<PoolSnapshot> snapshot;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jvmpool-progress");
        t.setDaemon(true);
        return t;
    });
    private volatile Terminal.Size size = Terminal.Size.DEFAULT;
    /** The live region as last drawn; {@link #linesOnScreen} of it are on the screen now. */
    private List<String> region = List.of();
    private int linesOnScreen;
    /** System.err as it was before we routed its lines above the live region; null when not routed. */
    private PrintStream systemErr;
    private boolean closed;

    public ProgressReporter(PrintStream err, boolean tty, Supplier<PoolSnapshot> snapshot, long plainEverySeconds) {
        this.err = err;
        this.tty = tty;
        this.snapshot = snapshot;
        if (tty) {
            size = Terminal.size();
            Terminal.onResize(() -> resized(Terminal.size()));
            if (err == System.err) { // log lines (workers' output, warnings) must not land inside the live region
                systemErr = System.err;
                System.setErr(new PrintStream(new LinesAbove(), true, StandardCharsets.UTF_8));
            }
            timer.scheduleAtFixedRate(() -> draw(true), 0, 500, TimeUnit.MILLISECONDS);
        } else {
            timer.scheduleAtFixedRate(this::line, plainEverySeconds, plainEverySeconds, TimeUnit.SECONDS);
        }
    }

    /**
     * Prints lines on {@code target} (stdout or stderr) above the live region, which is redrawn
     * under them: they stay on the screen while the region moves down.
     */
    public synchronized void printAbove(PrintStream target, List<String> lines) {
        if (tty && !closed) {
            clearRegion();
        }
        lines.forEach(target::println);
        target.flush();
        if (tty && !closed) {
            show(region);
        }
    }

    /** Whether it draws on a terminal (where the bar itself says what the job waits for). */
    public boolean onTerminal() {
        return tty;
    }

    /** Stops the reports; on a terminal the table goes and the bar is drawn one last time. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!tty) {
            return;
        }
        draw(false);
        synchronized (this) {
            err.print("\n");
            err.flush();
            closed = true;
            if (systemErr != null) {
                System.err.flush();
                System.setErr(systemErr);
            }
        }
    }

    /**
     * The terminal changed size. Terminals that reflow (tmux, VTE, iTerm2, Windows Terminal) rewrap
     * the region already on the screen: count the rows it takes now, so that the next frame starts at its top.
     */
    private synchronized void resized(Terminal.Size now) {
        size = now;
        if (linesOnScreen > 0) {
            int rows = 0;
            for (String line : region) {
                rows += Math.max(1, (line.codePointCount(0, line.length()) + now.columns() - 1) / now.columns());
            }
            linesOnScreen = rows;
        }
    }

    private void draw(boolean withTable) {
        PoolSnapshot s = snapshot.get(); // outside our lock: the pool's lock may be held by a thread that is logging
        List<String> lines = new ArrayList<>();
        lines.add(LiveView.bar(s));
        if (withTable) {
            lines.addAll(LiveView.table(s.workers()));
        }
        synchronized (this) {
            if (!closed) {
                show(fit(lines, size));
            }
        }
    }

    /** Cut to the terminal: no line wraps (which would break the count of lines to go back up), no frame scrolls off. */
    static List<String> fit(List<String> lines, Terminal.Size size) {
        int rows = Math.max(1, size.rows() - 1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines.size() && i < rows; i++) {
            String line = lines.get(i);
            if (i == rows - 1 && lines.size() > rows) {
                line = "  ... " + (lines.size() - rows + 1) + " more workers";
            }
            int max = Math.max(1, size.columns() - 1);
            out.add(line.codePointCount(0, line.length()) <= max ? line : line.substring(0, line.offsetByCodePoints(0, max)));
        }
        return out;
    }

    /** Erases the live region; the cursor goes to where its first line was. */
    private void clearRegion() {
        if (linesOnScreen > 0) {
            err.print(backToTop() + "\033[J");
            err.flush();
            linesOnScreen = 0;
        }
    }

    /**
     * Draws the region over the one on the screen, in one write so that it does not flicker: each
     * line is overwritten and cleared to its end, and rows of a longer previous region are erased.
     * The cursor stays on the region's last line.
     */
    private void show(List<String> lines) {
        region = lines;
        StringBuilder frame = new StringBuilder(backToTop());
        for (int i = 0; i < lines.size(); i++) {
            frame.append(i == 0 ? "" : "\n").append(lines.get(i)).append("\033[K");
        }
        err.print(frame.append("\033[J"));
        err.flush();
        linesOnScreen = lines.size();
    }

    private String backToTop() {
        return linesOnScreen > 1 ? "\r\033[" + (linesOnScreen - 1) + "A" : "\r";
    }

    private void line() {
        String summary = LiveView.summary(snapshot.get());
        synchronized (this) {
            err.println("jvmpool: " + summary);
        }
    }

    /** Collects what is written to System.err into lines and prints each above the live region. */
    private final class LinesAbove extends OutputStream {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                String line = pending.toString(StandardCharsets.UTF_8);
                pending.reset();
                printAbove(systemErr, List.of(line));
            } else {
                pending.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }
}
