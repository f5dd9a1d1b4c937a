package io.jvmpool.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvmpool.proto.DType;
import io.jvmpool.proto.ResultChunk;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ResultWriterTest {

    @Test
    void convertsScalarsAndArraysToTheJobsDtype() {
        ResultWriter w = new ResultWriter(DType.FLOAT32, 2);
        w.beginTask();
        w.set(0, 333333283333335000000.0);
        w.set(1, new long[] {1, 2, 3, 4, 5, 6}, 2, 3);
        w.endTask(7);
        ResultChunk batch = w.drain(10);
        assertThat(batch.getIndexList()).isEmpty();
        assertThat(batch.getFirst()).isEqualTo(7);
        assertThat(batch.getCount()).isEqualTo(1);
        ByteBuffer label = batch.getOutputs(0).getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(label.getFloat()).isEqualTo((float) 333333283333335000000.0);
        assertThat(batch.getOutputs(0).getShapeList()).isEmpty();
        assertThat(batch.getOutputs(1).getShapeList()).containsExactly(2, 3);
        assertThat(batch.getOutputs(1).getData().size()).isEqualTo(6 * 4);
    }

    @Test
    void consecutiveTasksTravelAsARangeOthersAsAList() {
        ResultWriter w = new ResultWriter(DType.INT32, 1);
        for (long i : new long[] {4, 5, 6}) {
            w.beginTask();
            w.set(0, i);
            w.endTask(i);
        }
        ResultChunk range = w.drain(0);
        assertThat(range.getIndexList()).isEmpty();
        assertThat(range.getFirst()).isEqualTo(4);
        assertThat(range.getCount()).isEqualTo(3);
        for (long i : new long[] {9, 3}) {
            w.beginTask();
            w.set(0, i);
            w.endTask(i);
        }
        assertThat(w.drain(0).getIndexList()).containsExactly(9L, 3L);
    }

    @Test
    void int64KeepsWholeNumbersExact() {
        ResultWriter w = new ResultWriter(DType.INT64, 1);
        w.beginTask();
        w.set(0, Long.MAX_VALUE - 1);
        w.endTask(0);
        assertThat(w.drain(0).getOutputs(0).getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo(Long.MAX_VALUE - 1);
    }

    @Test
    void aTaskThatMissesAnOutputIsRolledBack() {
        ResultWriter w = new ResultWriter(DType.FLOAT64, 2);
        w.beginTask();
        w.set(0, 1.0);
        w.set(1, 2.0);
        w.endTask(0);
        w.beginTask();
        w.set(0, 3.0);
        assertThatThrownBy(() -> w.endTask(1)).hasMessageContaining("output #1");
        assertThat(w.count()).isEqualTo(1);
        assertThat(w.drain(0).getOutputs(0).getData().size()).isEqualTo(8);
    }

    @Test
    void rejectsOutputsBeyondTheJobsCountAndChangingShapes() {
        ResultWriter w = new ResultWriter(DType.FLOAT64, 1);
        w.beginTask();
        assertThatThrownBy(() -> w.set(1, 1.0)).hasMessageContaining("output #1").hasMessageContaining("1 outputs");
        w.abortTask();
        w.beginTask();
        w.set(0, new double[] {1, 2});
        w.endTask(0);
        w.beginTask();
        assertThatThrownBy(() -> w.set(0, new double[] {1, 2, 3})).hasMessageContaining("shape [3]");
        w.abortTask();
        assertThatThrownBy(() -> w.set(0, new double[] {1, 2, 3}, 2, 2)).hasMessageContaining("does not hold");
    }

    @Test
    void float32ArraysAreCopiedAsTheyAre() {
        ResultWriter w = new ResultWriter(DType.FLOAT32, 1);
        float[] values = {1.5f, -2.25f, Float.NaN};
        w.beginTask();
        w.set(0, values);
        w.endTask(0);
        ByteBuffer b = w.drain(0).getOutputs(0).getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new float[] {b.getFloat(), b.getFloat(), b.getFloat()}).containsExactly(values);
    }
}
