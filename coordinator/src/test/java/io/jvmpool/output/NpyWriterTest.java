package io.jvmpool.output;

import io.jvmpool.rows.DType;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Numpy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriterTest {
    private static final List<long[]> SHAPES = List.of(
            new long[] {10}, new long[] {1}, new long[] {0}, new long[] {3, 4}, new long[] {2, 3, 4},
            new long[] {123456789}, new long[] {7, 1});

    @TempDir
    Path dir;

    @Test
    void filesAreByteIdenticalToNumpySave() throws IOException {
        Path ours = Files.createDirectory(dir.resolve("ours"));
        Path numpys = Files.createDirectory(dir.resolve("numpy"));
        for (DType type : DType.values()) {
            for (long[] shape : SHAPES) {
                if (elements(shape) > 1000) {
                    continue; // header only, below
                }
                byte[] data = arange(type, (int) elements(shape));
                NpyWriter.write(ours.resolve(name(type, shape)), type, shape, data, 0, data.length);
            }
        }
        Numpy.run("""
                import sys, os, numpy as np
                out = sys.argv[1]
                for t in ['float32', 'float64', 'int32', 'int64']:
                    for s in %s:
                        n = int(np.prod(s))
                        if n > 1000: continue
                        np.save(os.path.join(out, t + '_' + 'x'.join(map(str, s)) + '.npy'), np.arange(n, dtype=t).reshape(s))
                """.formatted(pythonShapes()), numpys.toString());
        try (var files = Files.list(numpys)) {
            List<Path> expected = files.sorted().toList();
            assertThat(expected).hasSize(4 * 6);
            for (Path file : expected) {
                assertThat(ours.resolve(file.getFileName())).as(file.getFileName().toString()).hasSameBinaryContentAs(file);
            }
        }
    }

    @Test
    void headerMatchesNumpyForLargeFirstDimension() {
        long[] shape = {123456789, 3};
        String numpyHeader = Numpy.run("""
                import io, numpy as np
                b = io.BytesIO()
                np.lib.format.write_array_header_1_0(b, {'descr': '<f8', 'fortran_order': False, 'shape': (123456789, 3)})
                print(b.getvalue().hex())
                """);
        // write_array_header_1_0 pads exactly as np.save does for a new file
        assertThat(hex(NpyWriter.header(DType.FLOAT64, shape))).isEqualTo(numpyHeader);
    }

    @Test
    void headerIsPaddedTo64Bytes() {
        for (long[] shape : SHAPES) {
            byte[] header = NpyWriter.header(DType.FLOAT32, shape);
            assertThat(header.length % 64).isZero();
            assertThat(header[header.length - 1]).isEqualTo((byte) '\n');
        }
    }

    @Test
    void writesAtomicallyWithoutLeavingTempFiles() throws IOException {
        byte[] data = arange(DType.INT32, 4);
        Path target = dir.resolve("a.npy");
        NpyWriter.write(target, DType.INT32, new long[] {4}, data, 0, data.length);
        NpyWriter.write(target, DType.INT32, new long[] {4}, data, 0, data.length);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.npy");
        }
    }

    private static String name(DType type, long[] shape) {
        return type.numpyName() + "_" + Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining("x")) + ".npy";
    }

    private static String pythonShapes() {
        return SHAPES.stream().map(s -> "(" + Arrays.stream(s).mapToObj(Long::toString).collect(Collectors.joining(",")) + ",)")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static long elements(long[] shape) {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    private static byte[] arange(DType type, int n) {
        ByteBuffer b = ByteBuffer.allocate(n * type.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (type) {
                case FLOAT32 -> b.putFloat(i);
                case FLOAT64 -> b.putDouble(i);
                case INT32 -> b.putInt(i);
                case INT64 -> b.putLong(i);
            }
        }
        return b.array();
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte x : bytes) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }
}
