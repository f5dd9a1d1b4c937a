package io.jvmpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A buffer comes back for reuse only when its last holder lets go; past the bound, a message waits for one. */
class MessageBuffersTest {
    private static final int MIB = 1 << 20;

    @Test
    void aBufferIsReusedOnlyOnceEveryHolderHasLetGo() throws Exception {
        MessageBuffers buffers = new MessageBuffers(64L * MIB);
        MessageBuffers.Loan first = buffers.lend(MIB);
        Runnable writer = first.hold();
        first.release(); // the network thread is done; the batch writer still holds the rows
        MessageBuffers.Loan second = buffers.lend(MIB);
        assertThat(second.buffer()).isNotSameAs(first.buffer());

        writer.run();
        writer.run(); // a second run changes nothing
        MessageBuffers.Loan third = buffers.lend(MIB - 100);
        assertThat(third.buffer()).isSameAs(first.buffer());
        assertThat(third.buffer().position()).isZero();
        assertThat(third.buffer().limit()).isEqualTo(MIB - 100);
        assertThat(buffers.bytes()).isEqualTo(2L * MIB);
    }

    @Test
    void keptBuffersTooSmallForALargerMessageAreDropped() throws Exception {
        MessageBuffers buffers = new MessageBuffers(64L * MIB);
        buffers.lend(MIB).release();
        assertThat(buffers.bytes()).isEqualTo(MIB);
        MessageBuffers.Loan larger = buffers.lend(4 * MIB);
        assertThat(larger.buffer().capacity()).isGreaterThanOrEqualTo(4 * MIB);
        assertThat(buffers.bytes()).isEqualTo(4L * MIB);
    }

    @Test
    void atTheBoundAMessageWaitsForABufferToComeBack() throws Exception {
        MessageBuffers buffers = new MessageBuffers(2L * MIB);
        MessageBuffers.Loan a = buffers.lend(MIB);
        buffers.lend(MIB); // held by a writer that has not written it yet
        CountDownLatch asking = new CountDownLatch(1);
        CompletableFuture<ByteBuffer> third = CompletableFuture.supplyAsync(() -> {
            asking.countDown();
            try {
                return buffers.lend(MIB).buffer();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        asking.await();
        a.release();
        assertThat(third.get(30, TimeUnit.SECONDS)).isSameAs(a.buffer());
        assertThat(buffers.bytes()).isEqualTo(2L * MIB);
    }

    @Test
    void aLoanNeverGivenBackCostsReuseNotProgress() throws Exception {
        MessageBuffers buffers = new MessageBuffers(MIB);
        buffers.lend(MIB); // never given back: its job was abandoned
        MessageBuffers.Loan next = buffers.lend(MIB); // waits a moment, then goes past the bound
        assertThat(next.buffer().capacity()).isEqualTo(MIB);
        next.release();
        assertThat(buffers.bytes()).as("the buffer past the bound is left to the garbage collector").isEqualTo(MIB);
    }
}
