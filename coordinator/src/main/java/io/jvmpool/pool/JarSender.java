package io.jvmpool.pool;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.jvmpool.proto.CoordinatorMessage;
import io.jvmpool.proto.JarChunk;
import io.jvmpool.proto.TaskJar;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * Sends one task jar to one worker in pieces, only as fast as its stream takes them: while the
 * stream is ready, and again when it becomes ready (grpc-java's manualflowcontrol pattern). The file
 * is read on a thread of its own, never on the network's threads.
 */
final class JarSender {
    static final int CHUNK_BYTES = 1 << 20;

    private final Scheduler scheduler;
    private final WorkerSession session;
    private final ServerCallStreamObserver<CoordinatorMessage> stream;
    private final TaskJar jar;
    private final Executor reader;
    private InputStream in;
    private long offset;
    private boolean done;

    JarSender(Scheduler scheduler, WorkerSession session, ServerCallStreamObserver<CoordinatorMessage> stream, TaskJar jar,
              Executor reader) {
        this.scheduler = scheduler;
        this.session = session;
        this.stream = stream;
        this.jar = jar;
        this.reader = reader;
    }

    /** Sends what the stream has room for now; called to start, and each time the stream is ready again. */
    void resume() {
        reader.execute(this::pump);
    }

    private synchronized void pump() {
        try {
            if (in == null && !done) {
                in = Files.newInputStream(Path.of(jar.getPath()));
            }
            byte[] buffer = new byte[CHUNK_BYTES];
            while (!done && stream.isReady()) {
                if (!session.isOpen()) {
                    close();
                    return;
                }
                int n = in.readNBytes(buffer, 0, buffer.length);
                boolean last = n == 0 || offset + n >= jar.getSize();
                session.sendNow(CoordinatorMessage.newBuilder().setJarChunk(JarChunk.newBuilder()
                        .setSha256(jar.getSha256()).setOffset(offset).setData(ByteString.copyFrom(buffer, 0, n)).setLast(last)).build());
                offset += n;
                if (last) {
                    close();
                }
            }
        } catch (IOException e) {
            close();
            scheduler.end(session, "the coordinator can't read task jar " + jar.getName() + ": " + e.getMessage());
        }
    }

    private void close() {
        done = true;
        try {
            if (in != null) {
                in.close();
            }
        } catch (IOException e) {
            // read to the end or given up: nothing more to do with it
        }
    }
}
