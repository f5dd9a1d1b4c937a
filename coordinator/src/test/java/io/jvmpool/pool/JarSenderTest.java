package io.jvmpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.proto.CoordinatorMessage;
import io.jvmpool.proto.JarChunk;
import io.jvmpool.proto.JarRequest;
import io.jvmpool.proto.TaskJar;
import io.jvmpool.proto.WorkerMessage;
import io.jvmpool.shared.Checksums;
import io.jvmpool.testing.FakeWorker;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A worker that lacks a task jar gets it from the coordinator in pieces, whole and in order. */
class JarSenderTest {
    @TempDir
    Path dir;

    @Test
    void aJarOfSeveralPiecesArrivesWholeAndInOrder() throws Exception {
        Path jar = dir.resolve("big.jar");
        byte[] noise = new byte[3 * JarSender.CHUNK_BYTES + 12345];
        new Random(7).nextBytes(noise); // does not compress: the jar spans four pieces
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("noise.bin"));
            out.write(noise);
            out.closeEntry();
        }
        PoolOptions options = new PoolOptions().task("trivial").workers(0).taskJars(List.of(jar));
        try (Pool pool = Pool.start(options); FakeWorker fake = new FakeWorker(pool.port())) {
            fake.sayHello(FakeWorker.hello(""));
            CoordinatorMessage job = fake.next(30);
            assertThat(job.hasSetup()).isTrue();
            TaskJar wanted = job.getSetup().getJars(0);
            fake.send(WorkerMessage.newBuilder().setJarRequest(JarRequest.newBuilder().setSha256(wanted.getSha256())).build());

            ByteArrayOutputStream received = new ByteArrayOutputStream();
            int pieces = 0;
            while (true) {
                CoordinatorMessage m = fake.next(30);
                assertThat(m).as("the next piece").isNotNull();
                JarChunk chunk = m.getJarChunk();
                assertThat(chunk.getOffset()).as("pieces in order").isEqualTo(received.size());
                chunk.getData().writeTo((OutputStream) received);
                pieces++;
                if (chunk.getLast()) {
                    break;
                }
            }
            assertThat(pieces).isGreaterThanOrEqualTo(4);
            assertThat(received.toByteArray()).isEqualTo(Files.readAllBytes(jar));
            Path copy = Files.write(dir.resolve("copy.jar"), received.toByteArray());
            assertThat(Checksums.sha256(copy)).isEqualTo(wanted.getSha256());
        }
    }
}
