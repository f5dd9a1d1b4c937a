package io.jvmpool.progress;

import io.jvmpool.pool.PoolSnapshot;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Shows the job on stderr while it runs. On a terminal: a tqdm-like bar with one row per worker
 * under it, redrawn in place about twice a second (one write per frame, so it does not flicker) and
 * reduced to the bar at the end. Elsewhere (a file, a pipe): one summary line every few seconds.
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
    /** Lines of the last frame drawn on the terminal. */
    private int linesDrawn;

    public ProgressReporter(PrintStream err, boolean tty, Supplier<PoolSnapshot> snapshot, long plainEverySeconds) {
        this.err = err;
        this.tty = tty;
        this.snapshot = snapshot;
        if (tty) {
            timer.scheduleAtFixedRate(() -> draw(true), 0, 500, TimeUnit.MILLISECONDS);
        } else {
            timer.scheduleAtFixedRate(this::line, plainEverySeconds, plainEverySeconds, TimeUnit.SECONDS);
        }
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
        if (tty) {
            draw(false);
            err.print("\n");
            err.flush();
        }
    }

    private synchronized void draw(boolean withTable) {
        PoolSnapshot s = snapshot.get();
        List<String> lines = new ArrayList<>();
        lines.add(LiveView.bar(s.tasksDone(), s.tasksTotal(), s.elapsedSeconds()));
        if (withTable) {
            lines.addAll(LiveView.table(s.workers()));
        }
        StringBuilder frame = new StringBuilder("\r");
        if (linesDrawn > 1) {
            frame.append("\033[").append(linesDrawn - 1).append('A'); // back to the bar's line
        }
        for (int i = 0; i < lines.size(); i++) {
            frame.append(lines.get(i)).append("\033[K").append(i < lines.size() - 1 ? "\n" : "");
        }
        frame.append("\033[J"); // rows of a longer previous frame
        err.print(frame);
        err.flush();
        linesDrawn = lines.size();
    }

    private synchronized void line() {
        err.println("jvmpool: " + LiveView.summary(snapshot.get()));
    }
}
