package io.jvmpool.launch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A worker JVM this coordinator started: its index, its process, its lifeline and its end. */
public final class LocalWorker {
    private final int index;
    private final Lifeline lifeline;
    private final CompletableFuture<Process> process = new CompletableFuture<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private final boolean makesArchive;

    LocalWorker(int index, Lifeline lifeline, boolean makesArchive) {
        this.index = index;
        this.lifeline = lifeline;
        this.makesArchive = makesArchive;
    }

    /** True for the worker that writes the class data archive as it exits (which takes a moment). */
    public boolean makesArchive() {
        return makesArchive;
    }

    public int index() {
        return index;
    }

    /** The process id, once the process has started; -1 before. */
    public long pid() {
        Process p = process.getNow(null);
        return p == null ? -1 : p.pid();
    }

    /** Waits until the process has started (or failed to); returns its pid, or -1. */
    long awaitStarted() {
        try {
            CompletableFuture.anyOf(process, exit).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // failed to start: the exit handler has been told
        }
        return pid();
    }

    /** Completes with the exit code when the process has ended. */
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    /** Asks the worker to end: it exits as soon as its stdin closes. */
    public void stop() {
        lifeline.cut();
    }

    /** Ends the worker's process now, with SIGKILL: a hung or misbehaving worker gets no say. */
    public void kill() {
        lifeline.cut();
        process.thenAccept(Process::destroyForcibly);
    }

    /** Waits up to {@code millis} for the process to end; true when it has. */
    public boolean awaitExit(long millis) {
        try {
            exit.get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // timed out, or the process failed to start: exit.isDone() tells
        }
        return exit.isDone();
    }

    void started(Process p) {
        process.complete(p);
    }

    void exited(int code) {
        exit.complete(code);
    }
}
