package io.jvmpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.jvmpool.proto.CoordinatorMessage;
import io.jvmpool.proto.Heartbeat;
import io.jvmpool.proto.OutputColumn;
import io.jvmpool.proto.ResultChunk;
import io.jvmpool.proto.TaskChunk;
import io.jvmpool.proto.WorkerMessage;
import io.jvmpool.testing.FakeWorker;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The coordinator survives whatever a peer sends: each misbehaving peer is cut off, its tasks go to a
 * real worker, and the job's results are still right.
 */
class WireTest {
    private static final int TASKS = 40;

    /** Starts a pool with one real worker, lets the fake misbehave while the job runs, and checks the results. */
    private void survives(Function<FakeWorker, Status> misbehave, long maxMessageBytes) throws Exception {
        List<List<Integer>> args = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            args.add(List.of(i, 2 * i, 3, 4));
        }
        PoolOptions options = new PoolOptions().task("trivial").workers(1).maxMessageBytes((int) maxMessageBytes);
        try (Pool pool = Pool.start(options); FakeWorker fake = new FakeWorker(pool.port())) {
            CompletableFuture<List<TaskResult>> job = CompletableFuture.supplyAsync(() -> {
                try {
                    return pool.map(args);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Status fakesEnd = misbehave.apply(fake);
            assertThat(fakesEnd).as("the coordinator cut the peer off").isNotNull();
            List<TaskResult> results = job.get(120, TimeUnit.SECONDS);
            for (int i = 0; i < TASKS; i++) {
                assertThat(results.get(i).get(0)).isEqualTo(i);
                assertThat(results.get(i).get(1)).isEqualTo(2 * i);
                assertThat(results.get(i).get(2)).isEqualTo(7);
            }
        }
    }

    private void survives(Function<FakeWorker, Status> misbehave) throws Exception {
        survives(misbehave, 64 << 20);
    }

    /** Greets, takes the first batch of tasks and returns it. */
    private static TaskChunk takeTasks(FakeWorker fake) {
        try {
            fake.sayHello(FakeWorker.hello(""));
            CoordinatorMessage job = fake.next(30);
            assertThat(job.hasSetup()).isTrue();
            fake.sayReady();
            CoordinatorMessage tasks = fake.next(30);
            assertThat(tasks.hasTasks()).as("tasks for the fake").isTrue();
            return tasks.getTasks();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long firstTask(TaskChunk batch) {
        return batch.getIndexCount() > 0 ? batch.getIndex(0) : batch.getFirst();
    }

    /** Correct results (p1, p2, p3 + p4) of the trivial task for the given indexes, as float32. */
    private static WorkerMessage results(long... indexes) {
        ResultChunk.Builder batch = ResultChunk.newBuilder().setComputeNanos(1000);
        ByteBuffer[] columns = new ByteBuffer[3];
        for (int k = 0; k < 3; k++) {
            columns[k] = ByteBuffer.allocate(4 * indexes.length).order(ByteOrder.LITTLE_ENDIAN);
        }
        for (long i : indexes) {
            batch.addIndex(i);
            columns[0].putFloat(i);
            columns[1].putFloat(2 * i);
            columns[2].putFloat(7);
        }
        for (ByteBuffer c : columns) {
            batch.addOutputs(OutputColumn.newBuilder().setData(ByteString.copyFrom(c.array())));
        }
        return WorkerMessage.newBuilder().setResults(batch).build();
    }

    private static Status end(FakeWorker fake) {
        try {
            return fake.awaitEnd(30);
        } catch (Exception e) {
            return null;
        }
    }

    @Test
    void aResultForATaskNeverAssigned() throws Exception {
        survives(fake -> {
            takeTasks(fake);
            fake.send(results(TASKS + 100));
            return end(fake);
        });
    }

    @Test
    void aResultDeliveredTwice() throws Exception {
        survives(fake -> {
            long first = firstTask(takeTasks(fake));
            fake.send(results(first)).send(results(first));
            return end(fake);
        });
    }

    @Test
    void resultsThatDontFitTheirRows() throws Exception {
        survives(fake -> {
            long first = firstTask(takeTasks(fake));
            WorkerMessage good = results(first);
            ResultChunk bad = good.getResults().toBuilder()
                    .setOutputs(1, OutputColumn.newBuilder().setData(ByteString.copyFrom(new byte[3]))).build();
            fake.send(WorkerMessage.newBuilder().setResults(bad).build());
            return end(fake);
        });
    }

    @Test
    void aMessageOverTheSizeLimit() throws Exception {
        survives(fake -> {
            long first = firstTask(takeTasks(fake));
            ResultChunk huge = results(first).getResults().toBuilder()
                    .setOutputs(0, OutputColumn.newBuilder().setData(ByteString.copyFrom(new byte[2 << 20]))).build();
            fake.send(WorkerMessage.newBuilder().setResults(huge).build());
            return end(fake);
        }, 1 << 20);
    }

    @Test
    void aWorkerThatVanishesMidStream() throws Exception {
        survives(fake -> {
            takeTasks(fake);
            fake.vanish();
            return Status.CANCELLED;
        });
    }

    @Test
    void aStreamThatDoesNotStartWithHello() throws Exception {
        survives(fake -> {
            fake.send(WorkerMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
            Status s = end(fake);
            assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            return s;
        });
    }

    @Test
    void aWorkerOfAnotherVersionIsRefused() throws Exception {
        survives(fake -> {
            try {
                fake.sayHello(FakeWorker.hello("").toBuilder().setVersion("0.0.0-other").build());
                CoordinatorMessage m = fake.next(30);
                assertThat(m.getGoodbye()).contains("version 0.0.0-other");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return end(fake);
        });
    }

    @Test
    void connectionsThatSpeakNoGrpc() throws Exception {
        survives(fake -> {
            try {
                int port = fake.port();
                talk(port, "GET / HTTP/1.1\r\nHost: jvmpool\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                talk(port, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25});
                // an HTTP/2 preface, then half a frame, then gone
                byte[] preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                byte[] half = {0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1, 1};
                byte[] both = new byte[preface.length + half.length];
                System.arraycopy(preface, 0, both, 0, preface.length);
                System.arraycopy(half, 0, both, preface.length, half.length);
                talk(port, both);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            takeTasks(fake); // the fake still gets work: the server is fine
            fake.vanish();
            return Status.OK;
        });
    }

    /** Sends bytes on a raw TCP connection, reads whatever comes back for a moment, and hangs up. */
    private static void talk(int port, byte[] bytes) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            try {
                in.read(new byte[4096]);
            } catch (java.net.SocketTimeoutException e) {
                // the server waits for more: fine, we hang up
            }
        }
    }
}
