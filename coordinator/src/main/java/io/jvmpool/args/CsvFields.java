package io.jvmpool.args;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The fields of a CSV file as RFC 4180 has it, read as bytes one field at a time, without a String
 * or an object per field (an args file may hold a hundred million rows): fields may be quoted
 * ({@code "a, b"}, {@code ""} for a quote inside), records end in LF, CRLF or CR, a UTF-8 byte
 * order mark is skipped, spaces around a field are dropped and blank lines skipped.
 *
 * <pre>{@code
 * while (fields.next()) { ... fields.bytes(), fields.length(), fields.line(), fields.endsRecord() ... }
 * }</pre>
 */
final class CsvFields {
    private static final int BUFFER_BYTES = 1 << 16;

    /** Thrown for a field that is not CSV (a stray quote, a field too long). */
    static final class BadField extends Exception {
        final long line;

        BadField(long line, String message) {
            super(message);
            this.line = line;
        }
    }

    private final InputStream in;
    private final int maxFieldBytes;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private int limit;
    private boolean eof;
    private byte[] field = new byte[256];
    private int length;
    private boolean quoted;
    private boolean endsRecord;
    private long line = 1;
    private long fieldLine = 1;
    private boolean atRecordStart = true;
    /** Bytes read so far, for callers that hash what they read. */
    private final java.util.function.BiConsumer<byte[], Integer> onRead;

    /**
     * @param maxFieldBytes a longer field is refused
     * @param onRead        told of every chunk read (bytes, count), or null
     */
    CsvFields(InputStream in, int maxFieldBytes, java.util.function.BiConsumer<byte[], Integer> onRead) throws IOException {
        this.in = in;
        this.maxFieldBytes = maxFieldBytes;
        this.onRead = onRead;
        fill();
        if (limit - position >= 3 && (buffer[0] & 0xff) == 0xef && (buffer[1] & 0xff) == 0xbb && (buffer[2] & 0xff) == 0xbf) {
            position = 3; // Excel's UTF-8 byte order mark
        }
    }

    /** The current field's bytes, {@code [0, length())}; valid until the next call. */
    byte[] bytes() {
        return field;
    }

    int length() {
        return length;
    }

    /** Whether the field was quoted (then it is text as written, even if empty). */
    boolean quoted() {
        return quoted;
    }

    /** Whether the field is the last of its record. */
    boolean endsRecord() {
        return endsRecord;
    }

    /** The line the field starts on (1 is the first). */
    long line() {
        return fieldLine;
    }

    /** Moves to the next field; false at the end of the input. Blank lines are skipped. */
    boolean next() throws IOException, BadField {
        if (atRecordStart && !skipBlankLines()) {
            return false;
        }
        readField();
        atRecordStart = endsRecord;
        return true;
    }

    /** At the start of a record: skips lines that hold nothing (or only spaces); false at the end of the input. */
    private boolean skipBlankLines() throws IOException {
        while (true) {
            int b;
            while ((b = peek()) == ' ' || b == '\t') {
                position++; // spaces before a field are dropped anyway
            }
            if (b < 0) {
                return false;
            }
            if (b != '\n' && b != '\r') {
                return true;
            }
            endLine(b);
        }
    }

    private void readField() throws IOException, BadField {
        length = 0;
        quoted = false;
        fieldLine = line;
        int b;
        while ((b = peek()) == ' ' || b == '\t') {
            position++;
        }
        if (b == '"') {
            quoted = true;
            position++;
            while (true) {
                b = take();
                if (b < 0) {
                    throw new BadField(fieldLine, "a quoted value that never ends (a missing closing \")");
                }
                if (b == '"') {
                    if (peek() == '"') {
                        position++;
                        append('"');
                        continue;
                    }
                    break;
                }
                if (b == '\n' || b == '\r' && peek() != '\n') {
                    line++;
                }
                append(b);
            }
            while ((b = peek()) == ' ' || b == '\t') {
                position++;
            }
            if (b >= 0 && b != ',' && b != '\n' && b != '\r') {
                throw new BadField(fieldLine, "something after a quoted value's closing quote; quote the whole value");
            }
        } else {
            // the common case, a bare value: scan the buffer and copy it whole
            while (peek() >= 0) {
                int end = position;
                byte c = 0;
                while (end < limit && (c = buffer[end]) != ',' && c != '\n' && c != '\r' && c != '"') {
                    end++;
                }
                append(buffer, position, end - position);
                position = end;
                if (end < limit) {
                    if (c == '"') {
                        throw new BadField(fieldLine, "a quote inside a value that does not start with one; quote the whole value and double the quote (\"\")");
                    }
                    break;
                }
            }
            while (length > 0 && (field[length - 1] == ' ' || field[length - 1] == '\t')) {
                length--;
            }
        }
        b = peek();
        if (b == ',') {
            position++;
            endsRecord = false;
        } else {
            if (b >= 0) {
                endLine(b);
            }
            endsRecord = true;
        }
    }

    /** Takes a line end (LF, CR or CRLF) at the position. */
    private void endLine(int b) throws IOException {
        position++;
        if (b == '\r' && peek() == '\n') {
            position++;
        }
        line++;
    }

    private void append(byte[] from, int offset, int n) throws BadField {
        if (length + n > field.length) {
            if (length + n > maxFieldBytes) {
                throw new BadField(fieldLine, "a value longer than " + (maxFieldBytes >> 10) + " KiB");
            }
            field = Arrays.copyOf(field, Math.min(maxFieldBytes, Math.max(field.length * 2, length + n)));
        }
        System.arraycopy(from, offset, field, length, n);
        length += n;
    }

    private void append(int b) throws BadField {
        if (length == field.length) {
            if (length >= maxFieldBytes) {
                throw new BadField(fieldLine, "a value longer than " + (maxFieldBytes >> 10) + " KiB");
            }
            field = Arrays.copyOf(field, Math.min(maxFieldBytes, field.length * 2));
        }
        field[length++] = (byte) b;
    }

    private int peek() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position] & 0xff;
    }

    private int take() throws IOException {
        int b = peek();
        if (b >= 0) {
            position++;
        }
        return b;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            eof = true;
            position = limit = 0;
            return false;
        }
        if (onRead != null) {
            onRead.accept(buffer, n);
        }
        position = 0;
        limit = n;
        return true;
    }
}
