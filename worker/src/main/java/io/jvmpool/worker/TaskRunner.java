package io.jvmpool.worker;

import io.jvmpool.api.Task;
import io.jvmpool.proto.TaskSetup;
import io.jvmpool.proto.ResultChunk;
import io.jvmpool.proto.TaskChunk;
import io.jvmpool.proto.TaskFailure;
import io.jvmpool.proto.WorkerMessage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;

/** Runs the tasks of each {@link TaskChunk} in order with the job's task, and reports each outcome. */
final class TaskRunner {
    /** Waiting results are sent once this many bytes have gathered ... */
    static final int FLUSH_BYTES = 4 << 20;
    /** ... or once the oldest waiting result is this old. */
    static final long FLUSH_NANOS = 2_000_000L;
    private static final int MAX_TRACE_CHARS = 8192;

    private final Task task;
    private final ChunkArgs args;
    private final ResultWriter results;
    private final InPlaceRows inPlace;
    private volatile long currentTask = -1;
    /** Compute time of the results waiting to be sent, and when the first of them was started. */
    private long pendingNanos;
    private long pendingSince;

    /** @param declared the outputs the task declares (their shapes are checked), or empty */
    TaskRunner(Task task, java.util.List<io.jvmpool.api.Output> declared, TaskSetup setup, InPlaceRows inPlace) {
        this.task = task;
        this.inPlace = inPlace;
        this.args = new ChunkArgs(setup.getArgNamesList());
        this.results = new ResultWriter(setup.getOutputDtypesCount() > 0 ? setup.getOutputDtypesList()
                : java.util.Collections.nCopies(setup.getOutputs(), setup.getDtype()));
        results.declare(declared);
    }

    /** The index of the task running now, or -1. */
    long currentTask() {
        return currentTask;
    }

    /**
     * Runs every task of the chunk; sends a TaskFailure for each that throws. Results wait to be
     * sent (see {@link #flush}) until a few MiB or a few milliseconds of them have gathered, so that
     * many small chunks in a row cost few messages.
     */
    void run(TaskChunk chunk, Consumer<WorkerMessage> send) {
        boolean listed = chunk.getIndexCount() > 0;
        int tasks = listed ? chunk.getIndexCount() : chunk.getCount();
        for (int row = 0; row < tasks; row++) {
            long index = listed ? chunk.getIndex(row) : chunk.getFirst() + row;
            currentTask = index;
            long started = System.nanoTime();
            if (results.count() == 0) {
                pendingSince = started;
            }
            results.beginTask();
            try {
                task.compute(index, args.at(chunk, row), results);
                results.endTask(index);
                pendingNanos += System.nanoTime() - started;
            } catch (Exception | StackOverflowError | LinkageError | AssertionError e) {
                results.abortTask();
                pendingNanos += System.nanoTime() - started;
                flush(send); // answers go in the order the tasks came
                send.accept(WorkerMessage.newBuilder().setFailure(failure(index, e)).build());
            }
            if (results.bytes() >= FLUSH_BYTES || System.nanoTime() - pendingSince >= FLUSH_NANOS) {
                flush(send);
            }
        }
        currentTask = -1;
    }

    /**
     * Sends the results gathered so far, if any: as data, or as done when they went into the batch
     * files. Writing them into the files counts as time spent on these tasks: the coordinator sizes
     * what it sends each worker by that time, and rows of a few MiB can take longer to write than to compute.
     */
    void flush(Consumer<WorkerMessage> send) {
        if (results.count() > 0) {
            long writing = System.nanoTime();
            boolean written = inPlace.write(results);
            pendingNanos += System.nanoTime() - writing;
            ResultChunk chunk = written ? results.drainWritten(pendingNanos) : results.drain(pendingNanos);
            send.accept(WorkerMessage.newBuilder().setResults(chunk.toBuilder().setCpuSeconds(SelfUsage.cpuSeconds())).build());
        }
        pendingNanos = 0;
    }

    static TaskFailure failure(long index, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String text = trace.toString();
        if (text.length() > MAX_TRACE_CHARS) {
            text = text.substring(0, MAX_TRACE_CHARS) + "\n\t...";
        }
        String message = e instanceof ResultWriter.MismatchException ? e.getMessage()
                : e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return TaskFailure.newBuilder().setIndex(index).setMessage(message).setStackTrace(text)
                .setFatal(e instanceof ResultWriter.MismatchException).build();
    }
}
