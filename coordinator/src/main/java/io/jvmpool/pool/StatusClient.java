package io.jvmpool.pool;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.jvmpool.proto.CoordinatorGrpc;
import io.jvmpool.proto.StatusRequest;
import io.jvmpool.shared.Tls;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Asks a running pool, over its gRPC port, how its job stands: what {@code jvmpool status} prints. */
public final class StatusClient {
    private static final long DEADLINE_SECONDS = 10;

    /** The pool did not answer; the message says why in one line, with what to try. */
    public static final class NoAnswer extends Exception {
        NoAnswer(String message) {
            super(message);
        }
    }

    private StatusClient() {
    }

    /**
     * The job and its workers at the pool at {@code address} ({@code HOST:PORT}).
     *
     * @param token        the job's token, or empty when it has none
     * @param tlsCa        the certificate (or CA) to trust when the pool serves TLS; null for plaintext
     * @param tlsAuthority the name in the pool's certificate when it is not the host; null for the host
     */
    public static PoolSnapshot fetch(String address, String token, Path tlsCa, String tlsAuthority) throws NoAnswer, IOException {
        ManagedChannel channel = Tls.configure(NettyChannelBuilder.forTarget(address), tlsCa, tlsAuthority).build();
        try {
            return StatusReplies.snapshot(CoordinatorGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
                    .status(StatusRequest.newBuilder().setToken(token).build()));
        } catch (StatusRuntimeException e) {
            throw new NoAnswer("no answer from " + address + ": " + reason(e.getStatus()));
        } finally {
            channel.shutdownNow();
        }
    }

    /** What went wrong, in one line: gRPC's descriptions can run to several lines of internals. */
    private static String reason(Status status) {
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> "nothing answered within " + DEADLINE_SECONDS + " s; is a jvmpool job listening there?";
            case UNAVAILABLE -> "can't connect (" + firstLine(String.valueOf(status.getDescription()))
                    + "); is a jvmpool job running there? (--tls-ca if it serves TLS)";
            case PERMISSION_DENIED -> "the job has a token: give it with --token, --token-file or JVMPOOL_TOKEN";
            default -> status.getCode() + (status.getDescription() == null ? "" : ": " + firstLine(status.getDescription()));
        };
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
