package io.jvmpool.progress;

import io.jvmpool.pool.PoolSnapshot;
import io.jvmpool.pool.WorkerState;
import io.jvmpool.pool.WorkerView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Renders the pool's state as text: the progress bar, the per-worker table, the plain summary line. */
public final class LiveView {
    private static final int BAR_WIDTH = 30;

    private LiveView() {
    }

    /** {@code  45%|█████████▌           | 9/20 [00:01<00:01, 7.50 tasks/s]} */
    public static String bar(long n, long total, double seconds) {
        double fraction = total == 0 ? 1 : (double) n / total;
        int full = (int) (fraction * BAR_WIDTH);
        double rate = seconds > 0 ? n / seconds : 0;
        return String.format(Locale.ROOT, "%3d%%|%s%s| %d/%d [%s<%s, %s tasks/s]", (int) (fraction * 100), "█".repeat(full),
                " ".repeat(BAR_WIDTH - full), n, total, clock(seconds), rate > 0 ? clock((total - n) / rate) : "?", rateText(rate));
    }

    /** The bar, or before the first task what the pool waits for: {@code waiting for workers: 1 of 2 ready}. */
    public static String bar(PoolSnapshot s) {
        if (s.waitingForWorkers()) {
            return "waiting for workers: " + s.workersReady() + " of " + s.workersWanted() + " ready";
        }
        return bar(s.tasksDone(), s.tasksTotal(), s.elapsedSeconds());
    }

    /** The table under the bar: one row per worker. */
    public static List<String> table(List<WorkerView> workers) {
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, "  %-6s %8s  %-12s %5s %9s %8s %8s  %s", "worker", "pid", "host", "cpu", "rss", "done",
                "task", "state"));
        for (WorkerView w : workers) {
            rows.add(String.format(Locale.ROOT, "  %-6s %8s  %-12s %4.0f%% %9s %8d %8s  %s", "w" + w.index(),
                    w.pid() > 0 ? Long.toString(w.pid()) : "-", shorten(w.host(), 12), w.cpuPercent(), megabytes(w.rssBytes()),
                    w.tasksDone(), w.currentTask() >= 0 ? Long.toString(w.currentTask()) : "-",
                    w.state() + (w.restarts() > 0 ? " (" + w.restarts() + " restarts)" : "")));
        }
        return rows;
    }

    /** {@code 9/20 tasks (45.0%), 7.50 tasks/s, 00:01 elapsed, ETA 00:01 | w0 99% 5 done, w1 98% 4 done} */
    public static String summary(PoolSnapshot s) {
        if (s.waitingForWorkers()) {
            return bar(s);
        }
        double rate = s.elapsedSeconds() > 0 ? s.tasksDone() / s.elapsedSeconds() : 0;
        String line = String.format(Locale.ROOT, "%d/%d tasks (%.1f%%), %s tasks/s, %s elapsed, ETA %s", s.tasksDone(), s.tasksTotal(),
                s.tasksTotal() == 0 ? 100.0 : 100.0 * s.tasksDone() / s.tasksTotal(), rateText(rate), clock(s.elapsedSeconds()),
                rate > 0 ? clock((s.tasksTotal() - s.tasksDone()) / rate) : "?");
        String workers = s.workers().stream().filter(w -> w.state() != WorkerState.GONE)
                .map(w -> String.format(Locale.ROOT, "w%d %.0f%% %d done", w.index(), w.cpuPercent(), w.tasksDone()))
                .collect(Collectors.joining(", "));
        return workers.isEmpty() ? line : line + " | " + workers;
    }

    static String megabytes(long bytes) {
        return bytes <= 0 ? "-" : String.format(Locale.ROOT, "%d MB", Math.round(bytes / 1e6));
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
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
