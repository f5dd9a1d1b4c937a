package io.jvmpool.worker;

import io.jvmpool.shared.Checksums;
import io.jvmpool.proto.JarChunk;
import io.jvmpool.proto.TaskJar;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The task jars a worker has: the coordinator's own files when this worker runs on its machine,
 * else copies it was sent, kept by hash in {@code $XDG_CACHE_HOME/jvmpool/jars} (or
 * {@code ~/.cache/jvmpool/jars}) for the next job. A jar is used only when its SHA-256 is the one
 * the coordinator named.
 */
final class JarCache {
    private final Path folder;

    JarCache(Path folder) {
        this.folder = folder;
    }

    static JarCache inUserCache() {
        return new JarCache(io.jvmpool.shared.UserFolders.cache().resolve("jars"));
    }

    /** The jar on this machine with the right hash, if there is one. */
    Optional<Path> find(TaskJar jar) {
        for (Path candidate : new Path[] {jar.getPath().isEmpty() ? null : Path.of(jar.getPath()), cached(jar)}) {
            try {
                if (candidate != null && Files.isRegularFile(candidate) && Files.size(candidate) == jar.getSize()
                        && Checksums.sha256(candidate).equals(jar.getSha256())) {
                    return Optional.of(candidate);
                }
            } catch (IOException e) {
                // unreadable: as good as missing
            }
        }
        return Optional.empty();
    }

    private Path cached(TaskJar jar) {
        return folder.resolve(jar.getSha256() + ".jar");
    }

    /** Receives a jar's pieces, in order, into the cache. */
    final class Download implements AutoCloseable {
        private final TaskJar jar;
        private final Path temp;
        private final OutputStream out;
        private long received;

        Download(TaskJar jar) throws IOException {
            this.jar = jar;
            Files.createDirectories(folder);
            this.temp = Files.createTempFile(folder, jar.getSha256(), ".part");
            this.out = Files.newOutputStream(temp);
        }

        /** Takes one piece; returns the cached jar after the last one, checked against its hash. */
        Optional<Path> accept(JarChunk chunk) throws IOException {
            if (!chunk.getSha256().equals(jar.getSha256()) || chunk.getOffset() != received) {
                throw new IOException("jar " + jar.getName() + ": a piece out of order");
            }
            chunk.getData().writeTo(out);
            received += chunk.getData().size();
            if (!chunk.getLast()) {
                return Optional.empty();
            }
            out.close();
            String sha256 = Checksums.sha256(temp);
            if (!sha256.equals(jar.getSha256())) {
                throw new IOException("jar " + jar.getName() + " arrived with SHA-256 " + sha256 + ", not " + jar.getSha256());
            }
            Path target = cached(jar);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(target);
        }

        @Override
        public void close() throws IOException {
            out.close();
            Files.deleteIfExists(temp);
        }
    }
}
