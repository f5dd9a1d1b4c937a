package io.jvmpool.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Shows how far the job is on stderr: a tqdm-like bar redrawn in place on a terminal, or one
 * plain line every few seconds when stderr is a file or pipe.
 */
public final class ProgressReporter implements AutoCloseable {
    private static final int BAR_WIDTH = 30;

    private final PrintStream err;
    private final boolean tty;
    private final LongSupplier done;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jvmpool-progress");
        t.setDaemon(true);
        return t;
    });

    public ProgressReporter(PrintStream err, boolean tty, LongSupplier done, long total, long plainEverySeconds) {
        this.err = err;
        this.tty = tty;
        this.done = done;
        this.total = total;
        if (tty) {
            timer.scheduleAtFixedRate(this::draw, 0, 200, TimeUnit.MILLISECONDS);
        } else {
            timer.scheduleAtFixedRate(this::line, plainEverySeconds, plainEverySeconds, TimeUnit.SECONDS);
        }
    }

    /** Stops the reports; on a terminal the bar is drawn one last time and the line ended. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (tty) {
            draw();
            err.print("\n");
            err.flush();
        }
    }

    private synchronized void draw() {
        err.print("\r" + bar(done.getAsLong(), elapsedSeconds()) + "\033[K");
        err.flush();
    }

    private synchronized void line() {
        err.println("jvmpool: " + summary(done.getAsLong(), elapsedSeconds()));
    }

    private double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** {@code  45%|█████████▌           | 9/20 [00:01<00:01, 7.50 tasks/s]} */
    String bar(long n, double seconds) {
        double fraction = total == 0 ? 1 : (double) n / total;
        int full = (int) (fraction * BAR_WIDTH);
        String bar = "█".repeat(full) + " ".repeat(BAR_WIDTH - full);
        double rate = seconds > 0 ? n / seconds : 0;
        return String.format(Locale.ROOT, "%3d%%|%s| %d/%d [%s<%s, %s tasks/s]", (int) (fraction * 100), bar, n, total,
                clock(seconds), rate > 0 ? clock((total - n) / rate) : "?", rateText(rate));
    }

    /** {@code 9/20 tasks (45.0%), 7.50 tasks/s, 0:00:01 elapsed, ETA 0:00:01} */
    String summary(long n, double seconds) {
        double rate = seconds > 0 ? n / seconds : 0;
        return String.format(Locale.ROOT, "%d/%d tasks (%.1f%%), %s tasks/s, %s elapsed, ETA %s", n, total,
                total == 0 ? 100.0 : 100.0 * n / total, rateText(rate), clock(seconds), rate > 0 ? clock((total - n) / rate) : "?");
    }

    private static String rateText(double rate) {
        return rate >= 100 ? String.format(Locale.ROOT, "%.0f", rate) : String.format(Locale.ROOT, "%.2f", rate);
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
