package io.jvmpool.pool;

import io.grpc.stub.StreamObserver;
import io.jvmpool.proto.CoordinatorMessage;

/** The coordinator's end of one worker's stream: what the scheduler sends on, and how it ends it. */
interface WorkerLink {

    /** Sends a message; throws when the stream is gone. */
    void send(CoordinatorMessage message);

    /** Ends the stream cleanly. */
    void close();

    /** The server side of a gRPC stream. */
    static WorkerLink of(StreamObserver<CoordinatorMessage> stream) {
        return new WorkerLink() {
            @Override
            public void send(CoordinatorMessage message) {
                stream.onNext(message);
            }

            @Override
            public void close() {
                stream.onCompleted();
            }
        };
    }
}
