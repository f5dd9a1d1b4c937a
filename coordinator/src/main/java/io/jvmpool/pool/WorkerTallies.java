package io.jvmpool.pool;

import io.jvmpool.shared.ProcessUsage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongFunction;

/** Every worker index seen, with what it has done, in index order. Safe to use from any thread; the scheduler updates it under its own lock. */
final class WorkerTallies {
    private final Map<Integer, WorkerTally> byIndex = new TreeMap<>();

    /** A local worker process was started for {@code index}: it shows as starting until it joins. */
    synchronized void starting(int index, long pid) {
        byIndex.computeIfAbsent(index, i -> new WorkerTally(i, true)).starting(pid, null);
    }

    /** A worker joined: its index's tally, now showing this process. */
    synchronized WorkerTally joined(WorkerSession s) {
        WorkerTally tally = byIndex.computeIfAbsent(s.index(), i -> new WorkerTally(i, s.isLocal()));
        tally.starting(s.pid(), s.host());
        return tally;
    }

    /** Local worker {@code index}'s process {@code pid} has ended (it may never have joined). */
    synchronized void exited(int index, long pid) {
        WorkerTally tally = byIndex.get(index);
        if (tally != null && tally.isLocal()) {
            tally.processEnded(pid);
        }
    }

    /** A new job on the same workers: each slot's counts start again, and slots of workers gone are forgotten. */
    synchronized void newJob() {
        byIndex.values().removeIf(WorkerTally::isGone);
        byIndex.values().forEach(WorkerTally::newJob);
    }

    /** Local worker {@code index} is being replaced by a fresh JVM after its last task (not after a death). */
    synchronized void recycling(int index) {
        WorkerTally tally = byIndex.get(index);
        if (tally != null) {
            tally.recycling();
        }
    }

    /** Takes a new reading of each local worker's CPU and memory (remote ones report theirs themselves). */
    synchronized void sampleLocal(LongFunction<Optional<ProcessUsage.Reading>> read, long now) {
        for (WorkerTally t : byIndex.values()) {
            if (t.isLocal() && t.pid() > 0 && !t.isGone()) {
                read.apply(t.pid()).ifPresent(r -> t.sample(r.cpuSeconds(), r.rssBytes(), now));
            }
        }
    }

    synchronized List<WorkerView> views() {
        return byIndex.values().stream().map(WorkerTally::view).toList();
    }
}
