package io.jvmpool.args;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads an {@code --args-file}: CSV (RFC 4180: fields may be quoted, lines end in LF or CRLF, a UTF-8
 * byte order mark is skipped) whose first row names the columns and each further row holds one
 * task's numeric arguments, as {@link Numbers} reads them. Blank lines are skipped. A column of whole
 * numbers is passed as integers, any other as doubles.
 */
public final class ArgsFile {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .get();

    /** A file that can't be used, with a message that names the file, line and column. */
    public static final class BadArgsFileException extends Exception {
        public BadArgsFileException(String message) {
            super(message);
        }
    }

    private ArgsFile() {
    }

    public static ArgTable read(Path file) throws BadArgsFileException {
        List<String[]> rows = new ArrayList<>();
        String[] header = null;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            in.mark(1);
            if (in.read() != '\uFEFF') {
                in.reset();
            }
            try (CSVParser parser = FORMAT.parse(in)) {
                for (CSVRecord record : parser) {
                    String line = Long.toString(parser.getCurrentLineNumber());
                    String[] cells = record.values();
                    if (header == null) {
                        header = cells;
                        continue;
                    }
                    if (cells.length != header.length) {
                        throw new BadArgsFileException(file + ":" + line + ": " + cells.length + " values but the header names "
                                + header.length + " columns (" + String.join(",", header) + ")");
                    }
                    rows.add(withLine(cells, line));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new BadArgsFileException(file + ": can't read it: " + e.getMessage());
        }
        if (header == null) {
            throw new BadArgsFileException(file + ": empty; the first line must name the columns, e.g. p1,p2,p3,p4");
        }
        if (rows.isEmpty()) {
            throw new BadArgsFileException(file + ": no rows after the header line: nothing to compute");
        }
        return parse(file, header, rows);
    }

    private static ArgTable parse(Path file, String[] header, List<String[]> rows) throws BadArgsFileException {
        int columns = header.length;
        long[][] longs = new long[columns][];
        double[][] doubles = new double[columns][];
        for (int c = 0; c < columns; c++) {
            Number[] values = new Number[rows.size()];
            boolean floating = false;
            for (int r = 0; r < rows.size(); r++) {
                String[] row = rows.get(r);
                try {
                    values[r] = Numbers.parse(row[c]);
                } catch (NumberFormatException e) {
                    throw new BadArgsFileException(file + ":" + row[columns] + ":" + (c + 1) + ": column '" + header[c]
                            + "': " + e.getMessage());
                }
                floating |= values[r] instanceof Double;
            }
            if (floating) {
                doubles[c] = Arrays.stream(values).mapToDouble(Number::doubleValue).toArray();
            } else {
                longs[c] = Arrays.stream(values).mapToLong(Number::longValue).toArray();
            }
        }
        return ArgTable.columns(rows.size(), longs, doubles);
    }

    /** Keeps the line number after the cells, for messages. */
    private static String[] withLine(String[] cells, String line) {
        String[] out = Arrays.copyOf(cells, cells.length + 1);
        out[cells.length] = line;
        return out;
    }
}
