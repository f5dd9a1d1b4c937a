package io.jvmpool.args;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads an {@code --args-file}: CSV ({@link CsvFields}) whose first row names the columns and each
 * further row holds one task's arguments. A column of whole numbers is passed as integers, one of
 * numbers with any non-integer as doubles (each as {@link Numbers} reads it), and one holding
 * anything else as text (UTF-8, at most 64 KiB a value).
 *
 * <p>The file is read twice and never held: once before the job, to check every value, type each
 * column, count the rows and hash the file ({@link #read}); then as tasks go out, row by row, keeping
 * only the rows of tasks not yet finished. So a file of a hundred million rows runs in the
 * coordinator's usual memory.
 */
public final class ArgsFile {
    /** A file that can't be used, with a message that names the file, line and column. */
    public static final class BadArgsFileException extends Exception {
        public BadArgsFileException(String message) {
            super(message);
        }
    }

    private ArgsFile() {
    }

    /** Checks the whole file; the table then reads its rows from the file as the job needs them. */
    public static ArgTable read(Path file) throws BadArgsFileException {
        Hashing sha256 = new Hashing();
        List<String> names = new ArrayList<>();
        long rows = 0;
        ValueKind[] kinds;
        long[] firstEmpty;
        try (InputStream in = Files.newInputStream(file)) {
            CsvFields fields = new CsvFields(in, ArgTable.MAX_TEXT_BYTES, sha256::add);
            while (fields.next()) {
                names.add(utf8(file, fields, names.size()));
                if (fields.endsRecord()) {
                    break;
                }
            }
            if (names.isEmpty()) {
                throw new BadArgsFileException(file + ": empty; the first line must name the columns, e.g. p1,p2,p3,p4");
            }
            kinds = new ValueKind[names.size()];
            firstEmpty = new long[names.size()];
            int c = 0;
            while (fields.next()) {
                if (c >= names.size()) {
                    throw new BadArgsFileException(file + ":" + fields.line() + ": more values than the header names columns ("
                            + names.size() + ": " + String.join(",", names) + ")");
                }
                kinds[c] = kindOf(file, fields, c, names.get(c), kinds[c], firstEmpty);
                c++;
                if (fields.endsRecord()) {
                    if (c != names.size()) {
                        throw new BadArgsFileException(file + ":" + fields.line() + ": " + c + " values but the header names "
                                + names.size() + " columns (" + String.join(",", names) + ")");
                    }
                    rows++;
                    c = 0;
                }
            }
        } catch (CsvFields.BadField e) {
            throw new BadArgsFileException(file + ":" + e.line + ": " + e.getMessage());
        } catch (IOException e) {
            throw new BadArgsFileException(file + ": can't read it: " + e.getMessage());
        }
        if (rows == 0) {
            throw new BadArgsFileException(file + ": no rows after the header line: nothing to compute");
        }
        for (int c = 0; c < kinds.length; c++) {
            if (kinds[c] != ValueKind.TEXT && firstEmpty[c] > 0) {
                throw new BadArgsFileException(file + ":" + firstEmpty[c] + ":" + (c + 1) + ": column '" + names.get(c)
                        + "': an empty value (two commas in a row, or one at the end?)");
            }
        }
        return ArgTable.file(new Streamed(file, List.copyOf(names), kinds, rows, sha256.hex()));
    }

    /**
     * The file's SHA-256, computed on a thread of its own beside the parsing (the other core is idle
     * then): chunks are handed over as read, a few at a time.
     */
    private static final class Hashing {
        private final MessageDigest digest = io.jvmpool.shared.Checksums.sha256();
        private final java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jvmpool-args-hash");
            t.setDaemon(true);
            return t;
        });
        private final java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(8);

        void add(byte[] bytes, int n) {
            byte[] copy = java.util.Arrays.copyOf(bytes, n);
            inFlight.acquireUninterruptibly();
            thread.execute(() -> {
                digest.update(copy);
                inFlight.release();
            });
        }

        String hex() {
            try {
                return thread.submit(() -> HexFormat.of().formatHex(digest.digest())).get();
            } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("hashing the args file failed", e);
            } finally {
                thread.shutdown();
            }
        }
    }

    /** The kind a column has once this value is in: integers, then doubles, then text; empty values are noted. */
    private static ValueKind kindOf(Path file, CsvFields fields, int c, String name, ValueKind before, long[] firstEmpty)
            throws BadArgsFileException {
        if (fields.length() == 0) {
            if (firstEmpty[c] == 0) {
                firstEmpty[c] = fields.line();
            }
            return before;
        }
        if (before == ValueKind.TEXT) {
            checkUtf8(file, fields, c, name);
            return before;
        }
        ValueKind k;
        try {
            k = Numbers.kind(fields.bytes(), fields.length());
        } catch (NumberFormatException e) {
            throw new BadArgsFileException(file + ":" + fields.line() + ":" + (c + 1) + ": column '" + name + "': " + e.getMessage());
        }
        if (k == ValueKind.TEXT) {
            checkUtf8(file, fields, c, name);
            return k;
        }
        return before == null || before == ValueKind.INTEGER ? k : before;
    }

    private static void checkUtf8(Path file, CsvFields fields, int c, String name) throws BadArgsFileException {
        byte[] b = fields.bytes();
        for (int i = 0; i < fields.length(); i++) {
            if (b[i] < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, 0, fields.length()));
                } catch (CharacterCodingException e) {
                    throw new BadArgsFileException(file + ":" + fields.line() + ":" + (c + 1) + ": column '" + name
                            + "': not UTF-8 text; save the file as UTF-8");
                }
                return;
            }
        }
    }

    private static String utf8(Path file, CsvFields fields, int c) throws BadArgsFileException {
        checkUtf8(file, fields, c, "header");
        return new String(fields.bytes(), 0, fields.length(), StandardCharsets.UTF_8);
    }

    /**
     * The rows of a checked file, read again in order as the job asks for them: a task handed out
     * for the first time is read then, and kept until it is finished (a retry needs it again).
     */
    private static final class Streamed implements ArgTable.Rows {
        private final Path file;
        private final List<String> names;
        private final ValueKind[] kinds;
        private final long count;
        private final String sha256;
        private final Map<Long, Object[]> kept = new HashMap<>();
        private InputStream in;
        private CsvFields fields;
        /** The index of the next row the reader will read. */
        private long next;

        Streamed(Path file, List<String> names, ValueKind[] kinds, long count, String sha256) {
            this.file = file;
            this.names = names;
            this.kinds = kinds;
            this.count = count;
            this.sha256 = sha256;
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public int columns() {
            return kinds.length;
        }

        @Override
        public ValueKind kind(int column) {
            return kinds[column];
        }

        @Override
        public List<String> names() {
            return names;
        }

        /** The file's SHA-256: what identifies an args-file job for --resume. */
        @Override
        public String sha256() {
            return sha256;
        }

        @Override
        public synchronized Object value(long index, int c) {
            Object[] row = kept.get(index);
            if (row == null) {
                if (index < next) {
                    throw new IllegalStateException("task " + index + "'s arguments were read and let go (it had finished)");
                }
                row = readUpTo(index);
                kept.put(index, row);
            }
            return row[c];
        }

        @Override
        public synchronized void finished(long index) {
            kept.remove(index);
        }

        /** Reads on to row {@code index} (rows before it are not wanted: finished, or kept already). */
        private Object[] readUpTo(long index) {
            try {
                if (fields == null) {
                    in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                    fields = new CsvFields(in, ArgTable.MAX_TEXT_BYTES, null);
                    while (fields.next() && !fields.endsRecord()) {
                        // the header
                    }
                }
                Object[] row = null;
                while (next <= index) {
                    row = readRow();
                    next++;
                }
                if (next == count) {
                    in.close();
                }
                return row;
            } catch (IOException | CsvFields.BadField | RuntimeException e) {
                throw new IllegalStateException("the args file " + file + " changed since the job started (" + e.getMessage()
                        + "); run the job again", e);
            }
        }

        private Object[] readRow() throws IOException, CsvFields.BadField {
            Object[] row = new Object[kinds.length];
            for (int c = 0; c < kinds.length; c++) {
                if (!fields.next()) {
                    throw new IOException("it ends before row " + next);
                }
                String text = new String(fields.bytes(), 0, fields.length(), kinds[c] == ValueKind.TEXT ? StandardCharsets.UTF_8
                        : StandardCharsets.US_ASCII);
                row[c] = switch (kinds[c]) {
                    case TEXT -> text;
                    case INTEGER -> Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
                    case FLOATING -> Numbers.parse(text).doubleValue();
                };
            }
            return row;
        }
    }
}
