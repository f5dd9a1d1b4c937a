package io.jvmpool.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * A file in the job's output folder, for the job's lifetime, holding a random secret: a worker that
 * dials in with a folder mounted finds this file with this secret there only if the folder is this
 * job's output folder. Its name is a temporary one, so a run that crashes leaves nothing another run
 * would not remove ({@link AtomicFile#removeLeftovers}).
 */
public final class OutputProbe implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final AtomicFile file;
    private final byte[] secret = new byte[32];

    private OutputProbe(Path folder) throws IOException {
        RANDOM.nextBytes(secret);
        file = AtomicFile.create(folder.resolve("jvmpool-probe"));
        try {
            ByteBuffer data = ByteBuffer.wrap(secret);
            while (data.hasRemaining()) {
                file.channel().write(data, data.position());
            }
        } catch (IOException e) {
            file.close();
            throw e;
        }
    }

    /** Puts a probe into {@code folder}. */
    public static OutputProbe create(Path folder) throws IOException {
        return new OutputProbe(folder);
    }

    /** The probe's file name in the folder. */
    public String name() {
        return file.temporary().getFileName().toString();
    }

    public byte[] secret() {
        return secret.clone();
    }

    /** Removes the probe. */
    @Override
    public void close() throws IOException {
        file.close();
    }
}
