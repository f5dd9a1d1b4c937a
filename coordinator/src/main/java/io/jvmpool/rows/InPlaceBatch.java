package io.jvmpool.rows;

import java.nio.file.Path;
import java.util.List;

/**
 * A batch whose temporary files are open for the workers on this machine to write rows into
 * themselves: row {@code i} of each file holds task {@code firstTask + i}.
 *
 * @param files one per output, in the job's order
 */
public record InPlaceBatch(long firstTask, int rows, List<File> files) {

    /** One output's temporary file: where row 0 starts, and the shape of one row. */
    public record File(Path path, long dataStart, int[] rowShape) {
    }
}
