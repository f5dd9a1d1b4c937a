package io.jvmpool.job;

import io.jvmpool.pool.TaskError;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code errors.tsv} beside the outputs, for {@code --on-error skip}: one line per failed task,
 * {@code index<TAB>arguments<TAB>message}, written as each failure arrives. Created only when a task
 * fails. Failures are reported on the network's threads, which must never wait for a disk: the
 * lines are written on a thread of their own, and {@link #close} waits until all are on disk.
 */
public final class ErrorLog implements AutoCloseable {
    public static final String FILE_NAME = "errors.tsv";

    private final Path file;
    private final boolean append;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jvmpool-errors-writer");
        t.setDaemon(true);
        return t;
    });
    private BufferedWriter out;
    private IOException failure;

    /** @param append keep the lines already there (a resumed job) */
    ErrorLog(Path folder, boolean append) {
        this.file = folder.resolve(FILE_NAME);
        this.append = append;
    }

    /** Queues the line of a failed task; returns at once. */
    void add(TaskError error) {
        String line = error.index() + "\t" + error.arguments() + "\t" + oneLine(error.message());
        writer.execute(() -> write(line));
    }

    private void write(String line) {
        if (failure != null) {
            return;
        }
        try {
            if (out == null) {
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS, append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            }
            out.write(line);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            failure = new IOException("can't write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String oneLine(String s) {
        return s.replace('\t', ' ').replace('\r', ' ').replace('\n', ' ');
    }

    /** Waits until every queued line is written; fails if one could not be. */
    @Override
    public void close() throws IOException {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IOException("can't write " + file + ": the disk did not answer within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (out != null) {
            out.close();
        }
        if (failure != null) {
            throw failure;
        }
    }
}
