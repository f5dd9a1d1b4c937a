package io.jvmpool.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.internal.CompositeReadableBuffer;
import io.grpc.internal.ReadableBuffers;
import io.jvmpool.proto.Heartbeat;
import io.jvmpool.proto.OutputColumn;
import io.jvmpool.proto.ResultChunk;
import io.jvmpool.proto.WorkerMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Large messages are parsed into a lent buffer and read the same as gRPC's own parser reads them. */
class WorkerMessageParserTest {
    private final MessageBuffers buffers = new MessageBuffers(64L << 20);
    private final WorkerMessageParser parser = new WorkerMessageParser(buffers);

    private static WorkerMessage results(int bytes) {
        byte[] data = new byte[bytes];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return WorkerMessage.newBuilder().setResults(ResultChunk.newBuilder().setFirst(40).setCount(4).setComputeNanos(123)
                .addOutputs(OutputColumn.newBuilder().setData(ByteString.copyFrom(data)).addShape(bytes / 16))).build();
    }

    /** A message as gRPC's deframer hands it over: a stream over the 16 KiB HTTP/2 frames it came in. */
    private static InputStream framed(WorkerMessage message) {
        byte[] bytes = message.toByteArray();
        CompositeReadableBuffer frames = new CompositeReadableBuffer();
        for (int at = 0; at < bytes.length; at += 16384) {
            frames.addBuffer(ReadableBuffers.wrap(ByteBuffer.wrap(bytes, at, Math.min(16384, bytes.length - at)).slice()));
        }
        return ReadableBuffers.openStream(frames, true);
    }

    @Test
    void aLargeMessageIsParsedIntoALentBufferThatItsBytesAreViewsOf() throws Exception {
        WorkerMessage sent = results(4 << 20);
        WorkerMessage received = parser.parse(framed(sent));
        assertThat(received).isEqualTo(sent);
        MessageBuffers.Loan loan = parser.claim(received);
        assertThat(loan).isNotNull();
        assertThat(parser.claim(received)).as("claimed once").isNull();
        ByteString data = received.getResults().getOutputs(0).getData();
        assertThat(data.asReadOnlyByteBuffer().isDirect()).as("a view of the lent buffer, not a copy").isTrue();

        loan.release();
        WorkerMessage other = WorkerMessage.newBuilder().setResults(sent.getResults().toBuilder().setFirst(0)
                .setOutputs(0, OutputColumn.newBuilder().setData(ByteString.copyFrom(new byte[4 << 20])))).build();
        WorkerMessage next = parser.parse(framed(other));
        assertThat(parser.claim(next).buffer()).as("the buffer is reused").isSameAs(loan.buffer());
        assertThat(next).isEqualTo(other);
    }

    @Test
    void aStreamWithoutBuffersIsCopiedInPieces() throws Exception {
        WorkerMessage sent = results(1 << 20);
        byte[] bytes = sent.toByteArray();
        InputStream plain = new KnownLengthStream(bytes);
        WorkerMessage received = parser.parse(plain);
        assertThat(received).isEqualTo(sent);
        assertThat(parser.claim(received)).isNotNull();
    }

    @Test
    void smallMessagesAreParsedOnTheHeap() {
        WorkerMessage beat = WorkerMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setCpuSeconds(1.5)).build();
        WorkerMessage received = parser.parse(parser.stream(beat));
        assertThat(received).isEqualTo(beat);
        assertThat(parser.claim(received)).isNull();
        assertThat(buffers.bytes()).isZero();
    }

    @Test
    void aBrokenMessageIsRefusedAndItsBufferGivenBack() {
        byte[] bytes = results(1 << 20).toByteArray();
        byte[] broken = Arrays.copyOf(bytes, bytes.length);
        broken[0] = (byte) 0xff; // no such field and wire type
        broken[1] = (byte) 0xff;
        assertThatThrownBy(() -> parser.parse(new KnownLengthStream(broken)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
        long kept = buffers.bytes();
        assertThat(kept).as("its buffer, given back").isPositive();
        WorkerMessage sent = results(1 << 20);
        WorkerMessage received = parser.parse(framed(sent));
        assertThat(received).isEqualTo(sent);
        assertThat(parser.claim(received)).isNotNull();
        assertThat(buffers.bytes()).as("reused, not allocated again").isEqualTo(kept);
    }

    /** A stream of known length that does not expose buffers, as another transport's might be. */
    private static final class KnownLengthStream extends ByteArrayInputStream implements io.grpc.KnownLength {
        KnownLengthStream(byte[] bytes) {
            super(bytes);
        }
    }
}
