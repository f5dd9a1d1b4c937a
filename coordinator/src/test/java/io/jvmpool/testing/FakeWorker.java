package io.jvmpool.testing;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.jvmpool.proto.CoordinatorGrpc;
import io.jvmpool.proto.CoordinatorMessage;
import io.jvmpool.proto.Hello;
import io.jvmpool.proto.Ready;
import io.jvmpool.proto.WorkerMessage;
import io.jvmpool.shared.Version;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker that speaks the real protocol and does only what a test tells it: the way to make the
 * coordinator face a misbehaving peer (OkHttp's MockWebServer, turned around).
 */
public final class FakeWorker implements AutoCloseable {
    private final ManagedChannel channel;
    private final BlockingQueue<CoordinatorMessage> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Status> end = new CompletableFuture<>();
    private ClientCallStreamObserver<WorkerMessage> stream;
    private final int port;

    public FakeWorker(int port) {
        this.port = port;
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        CoordinatorGrpc.newStub(channel).work(new ClientResponseObserver<WorkerMessage, CoordinatorMessage>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WorkerMessage> s) {
                stream = s;
            }

            @Override
            public void onNext(CoordinatorMessage m) {
                received.add(m);
            }

            @Override
            public void onError(Throwable t) {
                end.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                end.complete(Status.OK);
            }
        });
    }

    /** The coordinator's port this fake dialed. */
    public int port() {
        return port;
    }

    /** A well-formed hello with this build's version. */
    public static Hello hello(String token) {
        return Hello.newBuilder().setIndex(-1).setPid(ProcessHandle.current().pid()).setHost("fake")
                .setCores(1).setVersion(Version.get()).setToken(token).build();
    }

    public synchronized FakeWorker send(WorkerMessage m) {
        stream.onNext(m);
        return this;
    }

    public FakeWorker sayHello(Hello hello) {
        return send(WorkerMessage.newBuilder().setHello(hello).build());
    }

    public FakeWorker sayReady() {
        return send(WorkerMessage.newBuilder().setReady(Ready.getDefaultInstance()).build());
    }

    /** The next message from the coordinator, or null after the timeout. */
    public CoordinatorMessage next(long seconds) throws InterruptedException {
        return received.poll(seconds, TimeUnit.SECONDS);
    }

    /** Waits for the coordinator to end the stream; its status (OK when it ended it cleanly). */
    public Status awaitEnd(long seconds) throws Exception {
        return end.get(seconds, TimeUnit.SECONDS);
    }

    /** Goes away mid-stream, as a worker whose connection breaks. */
    public void vanish() {
        stream.cancel("vanished", null);
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
