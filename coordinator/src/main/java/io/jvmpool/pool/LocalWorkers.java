package io.jvmpool.pool;

import io.jvmpool.launch.LocalWorker;
import io.jvmpool.launch.WorkerLauncher;
import io.jvmpool.proto.Hello;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker JVMs this coordinator starts itself, one per index: started, replaced when one ends
 * while the pool runs (unless they keep dying before any task finishes), recycled after their last
 * task when the pool says so (the replacement starts while the old one finishes), and ended with the pool.
 */
final class LocalWorkers {
    private static final Logger LOG = LoggerFactory.getLogger(LocalWorkers.class);
    private final WorkerLauncher launcher;
    private final Scheduler scheduler;
    private final int count;
    private final Map<Integer, LocalWorker> byIndex = new ConcurrentHashMap<>();
    /** Workers replaced after their last task, still finishing it: their exit starts nobody. */
    private final java.util.Set<LocalWorker> retired = ConcurrentHashMap.newKeySet();
    private final AtomicInteger deathsWithoutProgress = new AtomicInteger();
    /** When each replaced worker died, by index, until its replacement is ready. */
    private final Map<Integer, Long> deathTimes = new ConcurrentHashMap<>();
    private volatile boolean closing;

    LocalWorkers(WorkerLauncher launcher, Scheduler scheduler, int count) {
        this.launcher = launcher;
        this.scheduler = scheduler;
        this.count = count;
    }

    void startAll() throws IOException {
        for (int i = 0; i < count; i++) {
            start(i);
        }
    }

    private void start(int index) throws IOException {
        long progressMark = scheduler.stats().resultsEver();
        LocalWorker worker = launcher.start(index, w -> exited(w, progressMark));
        byIndex.put(index, worker);
        scheduler.tallies().starting(index, worker.pid());
    }

    /** The index of the local worker that sent this hello, or -1 for a worker that dialed in by itself. */
    int indexOf(Hello hello) {
        LocalWorker w = byIndex.get(hello.getIndex());
        return w != null && w.pid() == hello.getPid() ? hello.getIndex() : -1;
    }

    /** Kills worker {@code index}'s process {@code pid} (it is replaced when its exit is seen). */
    void kill(int index, long pid) {
        for (LocalWorker w : all()) {
            if (w.index() == index && w.pid() == pid) {
                w.kill();
            }
        }
    }

    /**
     * Worker {@code index} (process {@code pid}) has its last task: its replacement starts now, with
     * the same index, so that it is ready about when the old one is done.
     */
    void recycle(int index, long pid) {
        LocalWorker old = byIndex.get(index);
        if (closing || old == null || old.pid() != pid) {
            return;
        }
        retired.add(old);
        scheduler.tallies().recycling(index);
        try {
            start(index);
        } catch (IOException e) {
            scheduler.fail("can't start a worker JVM: " + e.getMessage());
        }
    }

    /** Starts a fresh JVM for every index and kills the one it replaces: quietly, as a recycle. */
    void replaceAll() {
        for (LocalWorker old : new ArrayList<>(byIndex.values())) {
            recycle(old.index(), old.pid());
            old.kill();
        }
    }

    /** Every worker process, current and retiring. */
    private List<LocalWorker> all() {
        List<LocalWorker> all = new ArrayList<>(byIndex.values());
        all.addAll(retired);
        return all;
    }

    /** How long ago the predecessor of worker {@code index} died, in ns, if it is a replacement; forgets it. */
    Long replacedSince(int index) {
        Long diedAt = deathTimes.remove(index);
        return diedAt == null ? null : System.nanoTime() - diedAt;
    }

    /** A worker's process ended: hand its tasks to others and start another in its place. */
    private void exited(LocalWorker w, long progressMarkAtStart) {
        WorkerSession session = scheduler.localSession(w.index(), w.pid());
        String why = "exited with code " + w.exit().getNow(-1);
        if (session != null) {
            scheduler.gone(session, why);
        }
        scheduler.tallies().exited(w.index(), w.pid());
        if (closing || retired.remove(w)) {
            return; // a recycled worker's replacement is running already
        }
        if (w.exit().getNow(-1) == io.jvmpool.shared.Wire.EXIT_FOR_A_FRESH_JVM) {
            LOG.info("worker w{} left threads of its last task running: a fresh JVM takes its place", w.index());
            try {
                start(w.index());
            } catch (IOException e) {
                scheduler.fail("can't start a worker JVM: " + e.getMessage());
            }
            return;
        }
        int deaths = scheduler.stats().resultsEver() > progressMarkAtStart ? 0 : deathsWithoutProgress.incrementAndGet();
        if (deaths == 0) {
            deathsWithoutProgress.set(0);
        }
        int limit = Math.max(3, 2 * count + 1);
        if (deaths >= limit) {
            scheduler.fail(deaths + " worker JVMs in a row ended before any task finished (last: worker w" + w.index() + " "
                    + why + "); see the worker log lines above");
            return;
        }
        LOG.warn("worker w{} {}: starting a new one in its place", w.index(), why);
        deathTimes.put(w.index(), System.nanoTime());
        try {
            start(w.index());
        } catch (IOException e) {
            scheduler.fail("can't start a worker JVM: " + e.getMessage());
        }
    }

    /**
     * Ends every worker. By the time a pool closes its results are safe, so nobody waits for a
     * worker's graceful exit (about 0.7 s for two): each is killed at once, except the worker that
     * writes the class data archive as it exits, which gets the end of its stdin and 20 s.
     */
    void stop() {
        closing = true;
        List<LocalWorker> all = all();
        for (LocalWorker w : all) {
            if (w.makesArchive()) {
                w.stop();
            } else {
                w.kill();
            }
        }
        for (LocalWorker w : all) {
            if (w.makesArchive() && !w.awaitExit(TimeUnit.SECONDS.toMillis(20))) {
                w.kill();
            }
        }
        awaitGone(all, 300);
    }

    /** Waits up to {@code millis} until the workers are gone and what they printed last is printed. */
    private static void awaitGone(List<LocalWorker> all, long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (LocalWorker w : all) {
            w.awaitExit(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        WorkerLauncher.drainOutput();
    }

    /** Kills every worker at once (Ctrl-C) and waits up to a second until they are gone. */
    void killAll() {
        closing = true;
        List<LocalWorker> all = all();
        for (LocalWorker w : all) {
            w.kill();
        }
        awaitGone(all, 1000);
    }

    /** The pids of the worker processes running now. */
    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (LocalWorker w : all()) {
            if (!w.exit().isDone() && w.pid() > 0) {
                pids.add(w.pid());
            }
        }
        return pids;
    }
}
