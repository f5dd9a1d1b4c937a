package io.jvmpool.launch;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import io.jvmpool.shared.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Class data sharing for worker JVMs: an AppCDS archive of the worker's classes, made by the first
 * worker that runs without one (it is dumped when that worker exits) and used by every worker after
 * it, so that a worker maps its thousands of gRPC and protobuf classes instead of loading them. On
 * Java 25 and later it is an AOT cache (JEP 483 and 514), which also keeps the classes linked and
 * initialized: there a worker is ready in a tenth of the time.
 *
 * <p>The archive lives in a cache folder ({@code $XDG_CACHE_HOME/jvmpool/cds}, or
 * {@code ~/.cache/jvmpool/cds}), named by a hash of the class path's jars (path, size, modification
 * time) and the JVM, since an archive only fits the exact jars and JVM that made it. Nothing here is
 * needed for a run: where the archive can't be made or used, workers start without it.
 */
public final class ClassDataArchive {
    /** Looked up when first needed: the launcher that relaunches the coordinator does without logging. */
    private static Logger log() {
        return LoggerFactory.getLogger(ClassDataArchive.class);
    }

    /** JEP 514's one-step AOT cache creation came with Java 25. */
    private static final boolean AOT_CACHE = Runtime.version().feature() >= 25;

    private final Path archive;
    private final Path pending;
    /** Whose archive: "worker" or "coordinator"; the file names start with it. */
    private final String role;

    private ClassDataArchive(String role, Path archive) {
        this.role = role;
        this.archive = archive;
        this.pending = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
    }

    /**
     * The archive for this class path, or empty when CDS can't apply: a class path with folders
     * (a build, not a jar) or no cache folder to keep it in.
     */
    public static Optional<ClassDataArchive> forClassPath(String classPath) {
        return forClassPath("worker", classPath);
    }

    /** As {@link #forClassPath(String)}, for the JVMs of one role ("worker", "coordinator"): each has its own archive. */
    public static Optional<ClassDataArchive> forClassPath(String role, String classPath) {
        try {
            StringBuilder identity = new StringBuilder(System.getProperty("java.home")).append('|')
                    .append(System.getProperty("java.vm.version"));
            for (String entry : classPath.split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (!Files.isRegularFile(p)) {
                    return Optional.empty(); // CDS archives hold classes from jars only
                }
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                identity.append('|').append(p.toAbsolutePath()).append(':').append(a.size()).append(':')
                        .append(a.lastModifiedTime().toMillis());
            }
            // 64 bits of CRC-32 and String.hashCode, not a SHA: the launcher of java -jar computes this
            // before it relaunches, and initializing the security providers would cost it ~50 ms.
            // A collision is harmless: the JVM checks an archive against its class path and ignores one that does not fit.
            String id = identity.toString();
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(id.getBytes(StandardCharsets.UTF_8));
            byte[] digest = java.nio.ByteBuffer.allocate(8).putInt((int) crc.getValue()).putInt(id.hashCode()).array();
            Path folder = cacheFolder().resolve("cds");
            Files.createDirectories(folder);
            String name = role + "-" + HexFormat.of().formatHex(digest, 0, 8) + (AOT_CACHE ? ".aot" : ".jsa");
            return Optional.of(new ClassDataArchive(role, folder.resolve(name)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Path cacheFolder() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "jvmpool") : Path.of(System.getProperty("user.home"), ".cache", "jvmpool");
    }

    public boolean exists() {
        return Files.isRegularFile(archive);
    }

    /** Flags for a worker that uses the archive. */
    public List<String> useFlags() {
        List<String> flags = new ArrayList<>(quiet());
        flags.add(AOT_CACHE ? "-XX:AOTCache=" + archive : "-XX:SharedArchiveFile=" + archive);
        return flags;
    }

    /** Flags for the worker that makes the archive when it exits. */
    public List<String> createFlags() {
        List<String> flags = new ArrayList<>(quiet());
        flags.add(AOT_CACHE ? "-XX:AOTCacheOutput=" + pending : "-XX:ArchiveClassesAtExit=" + pending);
        return flags;
    }

    /** A stale or unusable archive is not worth a warning on the worker's output: it just starts slower. */
    private static List<String> quiet() {
        return AOT_CACHE ? List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-Xlog:aot=off")
                : List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** Archives kept besides the newest: those of other jars or JVMs in use on this machine. */
    static final int KEPT_ARCHIVES = 4;

    /**
     * Each new jar (every build) and JVM makes its own archive of about 20 MB (35 MB for an AOT
     * cache): keep the most recently made ones and remove the rest, and temporary files of runs
     * that did not finish after a day.
     */
    private void removeOldArchives() {
        try (var files = Files.list(archive.getParent())) {
            List<Path> all = files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(role + "-"))
                    .sorted(java.util.Comparator.comparing(ClassDataArchive::modified).reversed()).toList();
            long dayAgo = System.currentTimeMillis() - java.util.concurrent.TimeUnit.DAYS.toMillis(1);
            int kept = 0;
            for (Path p : all) {
                boolean temporary = p.getFileName().toString().endsWith(".tmp");
                if (temporary ? modified(p) < dayAgo : !p.equals(archive) && ++kept > KEPT_ARCHIVES) {
                    Files.deleteIfExists(p);
                    log().debug("removed the old class data archive {}", p);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            log().debug("old class data archives stay: {}", e.toString());
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The archiving worker has ended: keep the archive if it wrote a whole one; false when it failed. */
    public boolean archivingWorkerEnded(int exitCode) {
        boolean stoppedNormally = exitCode == 0 || exitCode == Wire.EXIT_LIFELINE;
        try {
            if (stoppedNormally && Files.isRegularFile(pending) && Files.size(pending) > 0) {
                Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log().debug("made the class data archive {}", archive);
                removeOldArchives();
            }
        } catch (IOException e) {
            log().debug("no class data archive this time: {}", e.toString());
        } finally {
            try {
                Files.deleteIfExists(pending);
            } catch (IOException e) {
                // a stale temporary file; the next run makes its own
            }
        }
        return stoppedNormally;
    }
}
