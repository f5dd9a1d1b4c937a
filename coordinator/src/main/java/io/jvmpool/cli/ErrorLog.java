package io.jvmpool.cli;

import io.jvmpool.pool.TaskError;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code errors.tsv} beside the outputs, for {@code --on-error skip}: one line per failed task,
 * {@code index<TAB>arguments<TAB>message}, written as each failure arrives. Created only when a task fails.
 */
final class ErrorLog implements AutoCloseable {
    static final String FILE_NAME = "errors.tsv";

    private final Path file;
    private final boolean append;
    private BufferedWriter out;

    /** @param append keep the lines already there (a resumed job) */
    ErrorLog(Path folder, boolean append) {
        this.file = folder.resolve(FILE_NAME);
        this.append = append;
    }

    synchronized void add(TaskError error) {
        try {
            if (out == null) {
                out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        java.nio.file.LinkOption.NOFOLLOW_LINKS, append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
            }
            out.write(error.index() + "\t" + error.arguments() + "\t" + oneLine(error.message()));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("can't write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String oneLine(String s) {
        return s.replace('\t', ' ').replace('\r', ' ').replace('\n', ' ');
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
        }
    }
}
