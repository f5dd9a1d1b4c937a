package io.jvmpool.output;

import io.jvmpool.rows.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes NumPy {@code .npy} files (format 1.0, or 2.0 when the header needs it) byte for byte as
 * {@code numpy.save} does: little-endian, C order, header padded to 64 bytes. A file is written to a
 * temporary name beside its target and renamed, so a reader never sees half a file.
 */
public final class NpyWriter {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy aligns the data to this many bytes. */
    private static final int ALIGN = 64;
    /** numpy leaves room after the header for the first dimension to grow to this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private NpyWriter() {
    }

    /** The header numpy writes for an array of this dtype and shape, magic string included. */
    public static byte[] header(DType dtype, long[] shape) {
        StringBuilder dict = new StringBuilder()
                .append("{'descr': '").append(dtype.descr()).append("', 'fortran_order': False, 'shape': ")
                .append(shapeRepr(shape)).append(", }");
        if (shape.length > 0) {
            dict.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length()));
        }
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        int headerLength = text.length + 1; // with its final newline
        // As numpy does: format 1.0 unless its 2-byte length field can't hold the padded header.
        int major = 1;
        int padding = padding(2, headerLength);
        if (headerLength + padding > 0xFFFF) {
            major = 2;
            padding = padding(4, headerLength);
        }
        int lengthField = major == 1 ? 2 : 4;
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 2 + lengthField + headerLength + padding)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) (headerLength + padding));
        } else {
            out.putInt(headerLength + padding);
        }
        out.put(text);
        for (int i = 0; i < padding; i++) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    /** numpy's padding: 1 to 64 spaces, so that the data starts at a multiple of 64. */
    private static int padding(int lengthField, int headerLength) {
        return ALIGN - (MAGIC.length + 2 + lengthField + headerLength) % ALIGN;
    }

    /** Python's repr of a shape tuple: {@code ()}, {@code (10,)}, {@code (10, 3)}. */
    static String shapeRepr(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(")").toString();
    }

    /**
     * Writes {@code data} (little-endian elements of {@code dtype}, C order) as {@code target}, an
     * array of at least one dimension, the way the batches are written ({@link BatchFile}). The file
     * appears whole or not at all.
     *
     * @return the file's CRC-32C, as 8 hex digits
     */
    public static String write(Path target, DType dtype, long[] shape, byte[] data, int offset, int length) throws IOException {
        if (shape.length == 0) {
            throw new IllegalArgumentException("NpyWriter writes arrays of at least one dimension");
        }
        int[] rowShape = new int[shape.length - 1];
        for (int d = 0; d < rowShape.length; d++) {
            rowShape[d] = Math.toIntExact(shape[d + 1]);
        }
        try (BatchFile file = new BatchFile(target, dtype, Math.toIntExact(shape[0]), rowShape)) {
            file.write(0, ByteBuffer.wrap(data, offset, length));
            String crc32c = file.crc32c();
            file.commit();
            return crc32c;
        }
    }
}
