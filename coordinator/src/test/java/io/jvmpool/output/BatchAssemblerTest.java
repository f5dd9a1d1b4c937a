package io.jvmpool.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvmpool.rows.DType;
import io.jvmpool.rows.InPlaceBatch;
import io.jvmpool.rows.TaskRows;
import io.jvmpool.testing.Folders;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch assembly on its own: rows in any order, spanning batches, skipped, written in place by a
 * "worker" (this test), abandoned; no pool, no JVM. Each file is compared with one written whole by
 * {@link NpyWriter} (itself checked against numpy byte for byte).
 */
class BatchAssemblerTest {
    @TempDir
    Path dir;

    /** Rows of float32 values: task t's row holds t * 10 + e for element e. */
    private record Rows(long first, int count, int width, boolean inPlace) implements TaskRows {
        static Rows of(long first, int count, int width) {
            return new Rows(first, count, width, false);
        }

        @Override
        public int outputs() {
            return 1;
        }

        @Override
        public int[] shape(int k) {
            return width == 0 ? new int[0] : new int[] {width};
        }

        @Override
        public int rowBytes(int k) {
            return Math.max(1, width) * 4;
        }

        @Override
        public ByteBuffer buffer(int k, int from, int rows) {
            ByteBuffer b = ByteBuffer.allocate(rows * rowBytes(k)).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = from; r < from + rows; r++) {
                for (int e = 0; e < Math.max(1, width); e++) {
                    b.putFloat((first + r) * 10 + e);
                }
            }
            return b.flip();
        }

        @Override
        public void copyTo(int k, int from, int rows, byte[] target, int offset) {
            buffer(k, from, rows).get(target, offset, rows * rowBytes(k));
        }
    }

    /** What numpy would hold for tasks first .. first + rows - 1, with NaN for the failed ones. */
    private Path expected(String name, long first, int rows, int width, long... failed) throws Exception {
        ByteBuffer all = Rows.of(first, rows, width).buffer(0, 0, rows);
        for (long f : failed) {
            for (int e = 0; e < Math.max(1, width); e++) {
                all.putFloat((int) ((f - first) * Math.max(1, width) + e) * 4, Float.NaN);
            }
        }
        Path file = Files.createDirectories(dir.resolve("expected")).resolve(name);
        long[] shape = width == 0 ? new long[] {rows} : new long[] {rows, width};
        NpyWriter.write(file, DType.FLOAT32, shape, all.array(), 0, all.remaining());
        return file;
    }

    private BatchAssembler assembler(Path out, BatchPlan plan, List<Integer> written) throws Exception {
        Files.createDirectories(out);
        return new BatchAssembler(plan, DType.FLOAT32, List.of("a"), out, null, b -> written.add(b.batch()));
    }

    @Test
    void rowsInAnyOrderAndAcrossBatchesLandAtTheirTaskIndex() throws Exception {
        Path out = dir.resolve("out");
        List<Integer> written = new ArrayList<>();
        BatchAssembler assembler = assembler(out, new BatchPlan(10, 4), written); // batches of 4, 4, 2
        assembler.accept(6, Rows.of(6, 4, 3)); // the end of batch 1 and all of batch 2
        assembler.accept(0, Rows.of(0, 1, 3));
        assembler.accept(3, Rows.of(3, 3, 3)); // the end of batch 0, the start of batch 1
        assembler.accept(1, Rows.of(1, 2, 3));
        assembler.finish();
        assertThat(written).containsExactly(2, 1, 0);
        assertThat(out.resolve("a_para_0.npy")).hasSameBinaryContentAs(expected("a_para_0.npy", 0, 4, 3));
        assertThat(out.resolve("a_para_1.npy")).hasSameBinaryContentAs(expected("a_para_1.npy", 4, 4, 3));
        assertThat(out.resolve("a_para_2.npy")).hasSameBinaryContentAs(expected("a_para_2.npy", 8, 2, 3));
        Folders.assertNoTemporaryFiles(out);
    }

    @Test
    void aSkippedTasksRowIsNan() throws Exception {
        Path out = dir.resolve("out");
        BatchAssembler assembler = assembler(out, new BatchPlan(3, 3), new ArrayList<>());
        assembler.accept(0, Rows.of(0, 1, 0));
        assembler.failed(1);
        assembler.accept(2, Rows.of(2, 1, 0));
        assembler.finish();
        assertThat(out.resolve("a_para_0.npy")).hasSameBinaryContentAs(expected("a_para_0.npy", 0, 3, 0, 1));
    }

    @Test
    void aShapeThatChangesOrAWrongOutputCountIsRefused() throws Exception {
        BatchAssembler assembler = assembler(dir.resolve("out"), new BatchPlan(4, 4), new ArrayList<>());
        assembler.accept(0, Rows.of(0, 1, 3));
        assertThatThrownBy(() -> assembler.accept(1, Rows.of(1, 1, 2))).hasMessageContaining("has shape [2] but earlier tasks gave [3]");
        assertThatThrownBy(() -> new BatchAssembler(new BatchPlan(1, 1), DType.FLOAT32, List.of("a", "b"), dir, null, b -> { })
                .accept(0, Rows.of(0, 1, 3))).hasMessageContaining("returned 1 outputs but the job has 2 (a,b)");
    }

    @Test
    void rowsTheWorkersWroteThemselvesAreHashedAndPutInPlaceLikeSentOnes() throws Exception {
        Path out = dir.resolve("out");
        List<Integer> written = new ArrayList<>();
        BatchAssembler assembler = assembler(out, new BatchPlan(8, 8), written);
        int width = 1 << 16; // 8 rows of 256 KiB: large enough to be written in place
        assembler.accept(0, Rows.of(0, 1, width)); // the first result fixes the shape
        InPlaceBatch files = Awaitility.await().until(() -> assembler.inPlace(1), f -> f != null);
        assertThat(files.firstTask()).isZero();
        assertThat(files.rows()).isEqualTo(8);
        InPlaceBatch.File file = files.files().get(0);
        try (FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.WRITE)) {
            Rows rows = Rows.of(1, 7, width);
            channel.write(rows.buffer(0, 0, 7), file.dataStart() + (long) width * 4);
        }
        assembler.accept(1, new Rows(1, 7, width, true));
        assembler.finish();
        assertThat(assembler.rowsInPlace()).isEqualTo(7);
        assertThat(written).containsExactly(0);
        assertThat(out.resolve("a_para_0.npy")).hasSameBinaryContentAs(expected("a_para_0.npy", 0, 8, width));
    }

    @Test
    void anAbandonedJobLeavesNoPartOfABatchAndTheBatchesWrittenBeforeIt() throws Exception {
        Path out = dir.resolve("out");
        AtomicInteger written = new AtomicInteger();
        BatchAssembler assembler = new BatchAssembler(new BatchPlan(4, 2), DType.FLOAT32, List.of("a"), Files.createDirectories(out), null,
                b -> written.incrementAndGet());
        assembler.accept(0, Rows.of(0, 2, 0));
        Awaitility.await().until(() -> written.get() == 1);
        assembler.accept(2, Rows.of(2, 1, 0));
        assembler.abandon();
        assertThat(Folders.npyFiles(out)).containsExactly("a_para_0.npy");
        Folders.assertNoTemporaryFiles(out);
    }

    @Test
    void aFailedWriteComesOutOfFinishAndRefusesLaterRows() throws Exception {
        Path out = dir.resolve("out");
        BatchAssembler assembler = assembler(out, new BatchPlan(4, 2), new ArrayList<>());
        Files.delete(out); // the folder is gone: creating the temporary file fails on the writer thread
        assembler.accept(0, Rows.of(0, 2, 0));
        assertThatThrownBy(assembler::finish).hasMessageContaining("can't write batch 0");
        assertThatThrownBy(() -> assembler.accept(2, Rows.of(2, 1, 0))).hasMessageStartingWith("can't write the results");
    }
}
