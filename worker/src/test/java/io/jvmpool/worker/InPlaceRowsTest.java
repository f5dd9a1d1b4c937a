package io.jvmpool.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.proto.DType;
import io.jvmpool.proto.ResultChunk;
import io.jvmpool.proto.RowFile;
import io.jvmpool.proto.RowFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InPlaceRowsTest {
    private static final int HEADER = 16;

    @TempDir
    Path dir;

    /** Rows of 3 int32 each for tasks 10..19, after a 16-byte header. */
    private Path batchFile() throws IOException {
        Path file = dir.resolve("batch.tmp");
        Files.write(file, new byte[HEADER + 10 * 12]);
        return file;
    }

    private static RowFiles announce(Path file, long first, int... shape) {
        RowFile.Builder f = RowFile.newBuilder().setPath(file.toString()).setDataStart(HEADER);
        for (int d : shape) {
            f.addShape(d);
        }
        return RowFiles.newBuilder().setFirst(first).setCount(10).addFiles(f).build();
    }

    private static ResultWriter results(long... indexes) {
        ResultWriter w = new ResultWriter(DType.INT32, 1);
        for (long i : indexes) {
            w.beginTask();
            w.set(0, new int[] {(int) i, (int) i + 1, (int) i + 2});
            w.endTask(i);
        }
        return w;
    }

    @Test
    void writesEachRowAtItsOffsetAndTheMessageCarriesNoData() throws IOException {
        Path file = batchFile();
        InPlaceRows rows = new InPlaceRows(null);
        rows.add(announce(file, 10, 3));
        ResultWriter w = results(12, 13, 17);
        assertThat(rows.write(w)).isTrue();
        ResultChunk done = w.drainWritten(5);
        assertThat(done.getInPlace()).isTrue();
        assertThat(done.getIndexList()).containsExactly(12L, 13L, 17L);
        assertThat(done.getOutputs(0).getData().isEmpty()).isTrue();
        assertThat(done.getOutputs(0).getShapeList()).containsExactly(3);

        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        for (int task = 10; task < 20; task++) {
            int at = HEADER + (task - 10) * 12;
            boolean written = task == 12 || task == 13 || task == 17;
            assertThat(bytes.getInt(at)).as("row of task " + task).isEqualTo(written ? task : 0);
            assertThat(bytes.getInt(at + 8)).isEqualTo(written ? task + 2 : 0);
        }
        assertThat(bytes.getInt(0)).as("the header is left alone").isZero();
    }

    @Test
    void anythingUncertainIsLeftToBeSent() throws IOException {
        Path file = batchFile();
        InPlaceRows rows = new InPlaceRows(null);
        assertThat(rows.write(results(12))).as("no batch announced").isFalse();
        rows.add(announce(file, 10, 4));
        assertThat(rows.write(results(12))).as("another shape than the file's").isFalse();
        rows.add(announce(file, 10, 3));
        assertThat(rows.write(results(19, 20))).as("task 20 is outside the batch").isFalse();
        InPlaceRows gone = new InPlaceRows(null);
        gone.add(announce(dir.resolve("renamed-meanwhile.tmp"), 10, 3));
        assertThat(gone.write(results(12))).as("a file that is not there is never created").isFalse();
        assertThat(dir.resolve("renamed-meanwhile.tmp")).doesNotExist();
        rows.stop();
        assertThat(rows.write(results(12))).as("the stream is gone").isFalse();
        assertThat(Files.readAllBytes(file)).containsOnly(0);

        ResultWriter w = results(12);
        ResultChunk sent = w.drain(0);
        assertThat(sent.getInPlace()).isFalse();
        assertThat(sent.getOutputs(0).getData().size()).isEqualTo(12);
    }

    @Test
    void aWorkerWithTheFolderMountedWritesTheFileOfTheSameNameThere() throws IOException {
        Path file = batchFile();
        InPlaceRows rows = new InPlaceRows(dir);
        rows.add(announce(Path.of("/where/the/coordinator/sees/it").resolve(file.getFileName()), 10, 3));
        assertThat(rows.write(results(11))).isTrue();
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes.getInt(HEADER + 12)).isEqualTo(11);
    }

    @Test
    void rowsBeyondTheFilesEndAreSentInstead() throws IOException {
        Path file = dir.resolve("short.tmp");
        Files.write(file, new byte[HEADER + 12]); // room for task 10 only
        InPlaceRows rows = new InPlaceRows(null);
        rows.add(announce(file, 10, 3));
        assertThat(rows.write(results(15))).isFalse();
        assertThat(Files.size(file)).as("never grown").isEqualTo(HEADER + 12);
    }
}
