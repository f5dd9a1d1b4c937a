package io.jvmpool.pool;

import io.jvmpool.proto.ResultChunk;
import io.jvmpool.proto.TaskFailure;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's answers, in three steps: taken off what it holds under the scheduler's lock, handed to
 * the job's sink without it ({@link SinkCalls}), and settled under it again (the tasks finished, or
 * the job failed). A task thus counts as finished only once its sink has taken it, and a job ends
 * only after its sink has seen every result. Answers to a job that has ended are dropped.
 */
final class Answers {
    private static final Logger LOG = LoggerFactory.getLogger(Answers.class);

    /** The runs of consecutive tasks a results message answers, and the job they were taken for (its sink null when over). */
    private record Taken(List<Run> runs, ResultSink sink, long generation) {
    }

    /** Tasks {@code first ..} of the job, rows {@code row ..} of the message. */
    private record Run(long first, int row, int count) {
    }

    /** A task's failure, and the job it was taken for. */
    private record Failed(TaskError error, ResultSink sink, long generation) {
    }

    private final Scheduler scheduler;
    private final SinkCalls sinks;

    Answers(Scheduler scheduler, SinkCalls sinks) {
        this.scheduler = scheduler;
        this.sinks = sinks;
    }

    void results(WorkerSession s, ResultChunk chunk, ResultView view) {
        Callouts out = new Callouts();
        Taken taken;
        synchronized (scheduler) {
            taken = take(s, chunk, view, out);
        }
        String refused = null;
        if (taken != null && taken.sink() != null) {
            for (Run r : taken.runs()) {
                try {
                    sinks.accept(taken.sink(), r.first(), view.rows(r.row(), r.count()));
                } catch (RuntimeException e) {
                    refused = e.getMessage() == null ? e.toString() : e.getMessage();
                    break;
                }
            }
        }
        synchronized (scheduler) {
            if (taken != null && taken.sink() != null && stillRuns(taken.generation())) {
                if (refused != null) {
                    scheduler.fail(refused);
                } else {
                    taken.runs().forEach(r -> scheduler.finish(r.first(), r.count()));
                }
            }
            scheduler.fill(s, out);
        }
        scheduler.run(out);
    }

    /** Under the lock: the runs of the message that the worker owed us; null when it broke the protocol. */
    private Taken take(WorkerSession s, ResultChunk chunk, ResultView view, Callouts out) {
        if (!s.isOpen()) {
            return null;
        }
        try {
            view.message(chunk);
        } catch (IllegalArgumentException e) {
            scheduler.end(s, "sent malformed results: " + e.getMessage(), out);
            return null;
        }
        int n = ResultView.tasks(chunk);
        int stale = s.dropStale(n); // answers to a job that has ended
        List<Run> runs = new ArrayList<>();
        for (int row = stale, end; row < n; row = end) {
            end = ResultView.runEnd(chunk, row);
            long first = ResultView.index(chunk, row);
            if (!scheduler.takeHeld(s, first, end - row, out)) {
                break;
            }
            runs.add(new Run(first, row, end - row));
        }
        scheduler.jobStats().results(n - stale);
        s.answered(n, chunk.getComputeNanos(), chunk.getCpuSeconds());
        return new Taken(runs, scheduler.runningSink(), scheduler.generation());
    }

    /** A task threw: the sink decides whether the job goes on without it (skipped) or fails. */
    void failure(WorkerSession s, TaskFailure f) {
        Callouts out = new Callouts();
        Failed failed;
        synchronized (scheduler) {
            failed = take(s, f, out);
        }
        String refused = null;
        if (failed != null) {
            try {
                sinks.failed(failed.sink(), failed.error());
            } catch (RuntimeException e) {
                refused = failed.error().describe() + "\n" + TaskError.indented(f.getStackTrace());
            }
        }
        synchronized (scheduler) {
            if (failed != null && stillRuns(failed.generation())) {
                if (refused != null) {
                    scheduler.fail(refused);
                } else {
                    LOG.warn("{} (skipped)", failed.error().describe());
                    scheduler.jobStats().failedTask();
                    scheduler.finish(failed.error().index(), 1);
                }
                if (s.held().isEmpty()) {
                    s.isolate(false);
                }
            }
            scheduler.fill(s, out);
        }
        scheduler.run(out);
    }

    /** Under the lock: the failure to hand to the sink, or null when the job already decided (or the worker broke the protocol). */
    private Failed take(WorkerSession s, TaskFailure f, Callouts out) {
        if (!s.isOpen() || s.dropStale(1) == 1) {
            return null;
        }
        if (f.getIndex() < 0) {
            scheduler.fail("the task could not be loaded or set up in worker " + s.name() + ": " + f.getMessage()
                    + "\n" + TaskError.indented(f.getStackTrace()));
            return null;
        }
        long index = f.getIndex();
        if (!scheduler.takeHeld(s, index, 1, out) || scheduler.runningSink() == null) {
            return null;
        }
        TaskError error = new TaskError(index, scheduler.describe(index), s.name(), f.getMessage(), f.getStackTrace());
        if (f.getFatal()) {
            scheduler.fail(error.describe());
            return null;
        }
        return new Failed(error, scheduler.runningSink(), scheduler.generation());
    }

    /** Under the lock: whether the job that answers were taken for still runs. */
    private boolean stillRuns(long generation) {
        return generation == scheduler.generation() && scheduler.runningSink() != null;
    }
}
