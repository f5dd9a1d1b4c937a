package io.jvmpool.output;

import io.jvmpool.rows.InPlaceBatch;
import io.jvmpool.rows.DType;
import io.jvmpool.shared.Checksums;
import io.jvmpool.shared.Unmapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.zip.CRC32C;

/**
 * One output of one batch on its way to disk: a temporary {@code .npy} file with its header, into
 * which each row is written at its own offset as its result arrives, so that the heap never holds
 * a batch (or, on this machine, by the workers themselves). The file is checksummed as it fills: the
 * rows that have landed from the start on are read back (from the page cache) into its CRC-32C while the
 * job goes on, so that little is left to read when the last row lands. Rows of tasks that failed
 * (and were skipped) are filled in at the end. Its owner renames it into place.
 */
final class BatchFile implements AutoCloseable {
    private final Path target;
    private final AtomicFile file;
    private final DType dtype;
    private final long dataStart;
    private final long rowBytes;
    private final long rows;
    private final CRC32C crc32c = new CRC32C();
    /** Rows that are in the file; the file's first {@code hashed} bytes are in {@code crc32c}. */
    private final BitSet landed = new BitSet();
    private long hashed;
    /** Where the last early sync was asked for (the writer thread's, see BatchWriter). */
    long syncRequestedAt;
    /** The most of the file mapped at once to be hashed. */
    private static final long HASH_WINDOW = 64L << 20;

    /** Creates the temporary file of {@code target}: an array of {@code rows} rows of shape {@code rowShape}. */
    BatchFile(Path target, DType dtype, int rows, int[] rowShape) throws IOException {
        this.target = target;
        this.dtype = dtype;
        this.rows = rows;
        long[] shape = new long[rowShape.length + 1];
        shape[0] = rows;
        for (int d = 0; d < rowShape.length; d++) {
            shape[d + 1] = rowShape[d];
        }
        this.rowBytes = rowBytes(dtype, rowShape);
        this.file = AtomicFile.create(target);
        byte[] header = NpyWriter.header(dtype, shape);
        this.dataStart = header.length;
        try {
            writeFully(ByteBuffer.wrap(header), 0);
            crc32c.update(header);
            hashed = header.length;
            long end = dataStart + rows * rowBytes;
            if (end > dataStart) { // the whole size now: rows not yet written read as zeros, and a full disk shows early
                writeFully(ByteBuffer.allocate(1), end - 1);
            }
        } catch (IOException e) {
            file.close();
            throw e;
        }
    }

    /** The size of one row of shape {@code rowShape}. */
    static long rowBytes(DType dtype, int[] rowShape) {
        long elements = 1;
        for (int d : rowShape) {
            elements *= d;
        }
        return elements * dtype.size();
    }

    /** Writes {@code data}, whole rows, starting at row {@code row}. */
    void write(long row, ByteBuffer data) throws IOException {
        writeFully(data, dataStart + row * rowBytes);
    }

    /** The bytes from the start that are in the CRC: whole, and so ready to be synced. */
    long hashedBytes() {
        return hashed;
    }

    /**
     * Writes the file's pages to disk so far, off the writer's thread while the batch still fills, so
     * that the commit's sync has only the rest to do. A head start only: a failure here is the
     * commit's to find (a closed file, a batch already in place, is nothing).
     */
    void syncSoFar() {
        try {
            file.channel().force(false);
        } catch (IOException e) {
            // the commit syncs again, and reports what fails then
        }
    }

    /** Rows {@code row .. row + n - 1} are in the file now: hashes what follows the hashed start without a gap. */
    void landed(int row, int n) throws IOException {
        landed.set(row, row + n);
        long upTo = dataStart + landed.nextClearBit((int) ((hashed - dataStart) / Math.max(1, rowBytes))) * rowBytes;
        if (rowBytes > 0 && upTo > hashed) {
            hash(upTo);
        }
    }

    /** Rows of skipped failures hold NaN for float dtypes, 0 (false) for the others (the file's zeros). */
    void fillFailed(BitSet failed) throws IOException {
        if (failed.isEmpty() || !dtype.isFloating() || rowBytes == 0) {
            return;
        }
        ByteBuffer nan = ByteBuffer.allocate((int) rowBytes).order(ByteOrder.LITTLE_ENDIAN);
        while (nan.hasRemaining()) {
            switch (dtype) {
                case FLOAT16 -> nan.putShort(io.jvmpool.shared.Float16.NAN);
                case FLOAT32 -> nan.putFloat(Float.NaN);
                default -> nan.putDouble(Double.NaN);
            }
        }
        for (int row = failed.nextSetBit(0); row >= 0; row = failed.nextSetBit(row + 1)) {
            write(row, nan.flip());
        }
    }

    /** The file's CRC-32C (8 hex digits): what was read as rows landed, and the rest read back now. */
    String crc32c() throws IOException {
        hash(size());
        return Checksums.hex(crc32c);
    }

    /**
     * Adds the file from {@code hashed} up to {@code end} to the CRC, through a read-only mapping of
     * that part: the page cache is read where it is, with no copy.
     */
    private void hash(long end) throws IOException {
        FileChannel channel = file.channel();
        if (end > channel.size()) {
            throw new IOException("the temporary file of " + target + " ended at " + channel.size() + " of " + size() + " bytes");
        }
        while (hashed < end) {
            long n = Math.min(HASH_WINDOW, end - hashed);
            MappedByteBuffer part = channel.map(FileChannel.MapMode.READ_ONLY, hashed, n);
            try {
                crc32c.update(part);
            } finally {
                Unmapper.unmap(part);
            }
            hashed += n;
        }
    }

    /** Where the workers on this machine may write rows themselves. */
    InPlaceBatch.File inPlace(int[] rowShape) {
        return new InPlaceBatch.File(file.temporary(), dataStart, rowShape);
    }

    Path target() {
        return target;
    }

    long size() {
        return dataStart + rows * rowBytes;
    }

    /** Syncs the file and renames it into place. */
    void commit() throws IOException {
        file.commit();
    }

    /** Drops the temporary file unless it was committed. */
    @Override
    public void close() throws IOException {
        file.close();
    }

    private void writeFully(ByteBuffer data, long position) throws IOException {
        FileChannel channel = file.channel();
        while (data.hasRemaining()) {
            position += channel.write(data, position);
        }
    }
}
