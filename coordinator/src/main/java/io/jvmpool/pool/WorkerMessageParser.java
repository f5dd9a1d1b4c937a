package io.jvmpool.pool;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.HasByteBuffer;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.jvmpool.proto.CoordinatorGrpc;
import io.jvmpool.proto.WorkerMessage;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reads what workers send on their stream. A large message (results of array outputs) is copied
 * once, from the network's buffers into a lent direct buffer ({@link MessageBuffers}), and parsed in
 * place: its data fields are views of that buffer, written from there into the batch files. gRPC's own
 * parser copies such a message twice, into arrays it allocates for each message. Small messages are
 * parsed as gRPC does.
 *
 * <p>The loan of the message just parsed waits for {@link #claim} on the same thread: the server
 * runs its handlers on the network thread that parsed the message ({@code directExecutor}), right
 * after parsing it.
 */
final class WorkerMessageParser implements MethodDescriptor.Marshaller<WorkerMessage> {
    /** Messages at least this large are read into lent buffers. */
    static final int MIN_LENT_BYTES = 64 << 10;
    private static final MethodDescriptor.Marshaller<WorkerMessage> GRPC = CoordinatorGrpc.getWorkMethod().getRequestMarshaller();

    private record Parsed(WorkerMessage message, MessageBuffers.Loan loan) {
    }

    private final MessageBuffers buffers;
    private final ThreadLocal<Parsed> lastParsed = new ThreadLocal<>();

    WorkerMessageParser(MessageBuffers buffers) {
        this.buffers = buffers;
    }

    @Override
    public InputStream stream(WorkerMessage message) {
        return GRPC.stream(message);
    }

    @Override
    public WorkerMessage parse(InputStream stream) {
        lastParsed.remove();
        int size = size(stream);
        MessageBuffers.Loan loan = size >= MIN_LENT_BYTES ? lend(size) : null;
        if (loan == null) {
            return GRPC.parse(stream);
        }
        try {
            ByteBuffer bytes = loan.buffer();
            copy(stream, bytes);
            CodedInputStream in = UnsafeByteOperations.unsafeWrap(bytes.flip()).newCodedInput();
            in.enableAliasing(true); // bytes fields become views of the buffer, not copies
            in.setSizeLimit(Integer.MAX_VALUE); // gRPC has checked the size against its limit
            WorkerMessage message = WorkerMessage.parseFrom(in);
            lastParsed.set(new Parsed(message, loan));
            return message;
        } catch (IOException e) {
            loan.release();
            throw Status.INTERNAL.withDescription("Invalid protobuf byte sequence").withCause(e).asRuntimeException();
        }
    }

    /**
     * The loan behind {@code message}'s bytes, if it was parsed into one on this thread: the caller
     * holds it and releases it when done with the message. Null for a message parsed on the heap.
     */
    MessageBuffers.Loan claim(WorkerMessage message) {
        Parsed parsed = lastParsed.get();
        if (parsed == null || parsed.message() != message) {
            return null;
        }
        lastParsed.remove();
        return parsed.loan();
    }

    private MessageBuffers.Loan lend(int size) {
        try {
            return buffers.lend(size);
        } catch (InterruptedException e) { // the server is stopping
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static int size(InputStream stream) {
        try {
            return stream instanceof KnownLength ? stream.available() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Fills {@code target} from the stream: straight from the network's buffers where gRPC exposes them. */
    private static void copy(InputStream stream, ByteBuffer target) throws IOException {
        if (stream instanceof HasByteBuffer exposed && exposed.byteBufferSupported()) {
            while (target.hasRemaining()) {
                ByteBuffer next = exposed.getByteBuffer();
                if (next == null || !next.hasRemaining()) {
                    throw new EOFException("the message ended " + target.remaining() + " bytes short");
                }
                int n = Math.min(next.remaining(), target.remaining());
                target.put(target.position(), next, next.position(), n);
                target.position(target.position() + n);
                stream.skipNBytes(n);
            }
            return;
        }
        byte[] chunk = new byte[Math.min(target.remaining(), MIN_LENT_BYTES)];
        while (target.hasRemaining()) {
            int n = stream.read(chunk, 0, Math.min(chunk.length, target.remaining()));
            if (n < 0) {
                throw new EOFException("the message ended " + target.remaining() + " bytes short");
            }
            target.put(chunk, 0, n);
        }
    }
}
