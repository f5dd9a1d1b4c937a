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
 * needed for a run: where the archive can't be made or used, workers start without it. An archive
 * is an optimisation that must never fail a job: beside each one its size and CRC-32C are recorded
 * when it is made ({@link ArchiveRecord}) and checked before each use, so that a damaged, truncated
 * or foreign file (which the JVM would map and crash on) is removed and made anew; and one is made
 * only where the cache has room for it (a JVM whose archive can't be written at exit exits 1).
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
        return io.jvmpool.shared.UserFolders.cache();
    }

    /** Whether the archive can be used: there, and whole (as its record says). */
    public enum State { USABLE, ABSENT, DAMAGED }

    /**
     * Checks the archive against the record made with it; a damaged one (or one without a record:
     * made by an older version, or left half-written) is removed, so that a new one is made.
     */
    public State check() {
        if (!Files.exists(archive)) {
            return State.ABSENT;
        }
        if (ArchiveRecord.matches(archive)) {
            return State.USABLE;
        }
        discard();
        return State.DAMAGED;
    }

    /** Removes the archive and its record (best effort: the next check finds it gone or damaged again). */
    public void discard() {
        try {
            Files.deleteIfExists(archive);
            Files.deleteIfExists(ArchiveRecord.of(archive));
        } catch (IOException e) {
            log().debug("can't remove {}: {}", archive, e.toString());
        }
    }

    /** Room for a new archive (about 20 MB, 35 MB as an AOT cache, and its temporary copy) on a writable cache disk. */
    public boolean canMake() {
        try {
            return Files.isWritable(archive.getParent()) && Files.getFileStore(archive.getParent()).getUsableSpace() >= MIN_FREE_BYTES;
        } catch (IOException e) {
            return false;
        }
    }

    /** A new archive needs at most this much free space where it is made. */
    static final long MIN_FREE_BYTES = 256L << 20;

    /** Where the archive is (for messages). */
    public Path path() {
        return archive;
    }

    /**
     * The JVM flag that sends a JVM's crash report ({@code hs_err_pid*.log}) into jvmpool's cache
     * folder instead of the folder the user runs in; null where there is no cache folder.
     */
    public static String crashReportFlag() {
        try {
            Path folder = cacheFolder().resolve("crash");
            Files.createDirectories(folder);
            return "-XX:ErrorFile=" + folder.resolve("hs_err_pid%p.log");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Flags for a worker that uses the archive. */
    public List<String> useFlags() {
        List<String> flags = new ArrayList<>(quiet());
        flags.add(AOT_CACHE ? "-XX:AOTCache=" + archive : "-XX:SharedArchiveFile=" + archive);
        return flags;
    }

    /**
     * Flags for the JVM whose run makes the archive. Java 17 dumps it as that JVM exits; Java 25 records
     * the run's configuration (quietly: its JVM says so on stdout otherwise, which is the user's) and the
     * cache is assembled from it afterwards by {@link #archivingWorkerEnded}, in a JVM whose output goes
     * nowhere (the one-step {@code -XX:AOTCacheOutput} starts that JVM itself, and it talks).
     */
    public List<String> createFlags() {
        List<String> flags = new ArrayList<>(quiet());
        if (AOT_CACHE) {
            flags.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput", "-XX:AOTMode=record",
                    "-XX:AOTConfiguration=" + configuration()));
        } else {
            flags.add("-XX:ArchiveClassesAtExit=" + pending);
        }
        return flags;
    }

    /** Java 25: the configuration the archiving run records, from which the cache is assembled. */
    private Path configuration() {
        return pending.resolveSibling(pending.getFileName() + ".config");
    }

    /** A stale or unusable archive is not worth a warning on the worker's output: it just starts slower. */
    private static List<String> quiet() {
        return AOT_CACHE ? List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-Xlog:aot=off")
                : List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** Java 25's second step: the AOT cache from the recorded configuration, by a JVM whose output is dropped. */
    private void assemble(List<String> jvmFlags, String classPath) throws IOException {
        if (!Files.isRegularFile(configuration())) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(quiet());
        command.addAll(jvmFlags);
        command.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + configuration(), "-XX:AOTCache=" + pending,
                "-cp", classPath));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
                p.destroyForcibly();
                Files.deleteIfExists(pending);
            } else if (p.exitValue() != 0) {
                Files.deleteIfExists(pending);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
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
                    .filter(p -> !ArchiveRecord.isRecord(p))
                    .sorted(java.util.Comparator.comparing(ClassDataArchive::modified).reversed()).toList();
            long dayAgo = System.currentTimeMillis() - java.util.concurrent.TimeUnit.DAYS.toMillis(1);
            int kept = 0;
            for (Path p : all) {
                boolean temporary = p.getFileName().toString().endsWith(".tmp");
                if (temporary ? modified(p) < dayAgo : !p.equals(archive) && ++kept > KEPT_ARCHIVES) {
                    Files.deleteIfExists(p);
                    Files.deleteIfExists(ArchiveRecord.of(p));
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

    /**
     * The archiving JVM has ended: keep the archive if it made a whole one (and its record); false when
     * it failed. On Java 25 the cache is assembled here from what the run recorded, with the JVM flags
     * and class path the run had (a cache only serves JVMs that match them).
     */
    public boolean archivingWorkerEnded(int exitCode, List<String> jvmFlags, String classPath) {
        boolean stoppedNormally = exitCode == 0 || exitCode == Wire.EXIT_LIFELINE;
        try {
            if (AOT_CACHE && stoppedNormally) {
                assemble(jvmFlags, classPath);
            }
            if (stoppedNormally && Files.isRegularFile(pending) && Files.size(pending) > 0) {
                ArchiveRecord.write(pending, archive); // the record first: an archive without one is never used
                Files.move(pending, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log().debug("made the class data archive {}", archive);
                removeOldArchives();
            }
        } catch (IOException e) {
            discard();
            log().debug("no class data archive this time: {}", e.toString());
        } finally {
            try {
                Files.deleteIfExists(configuration());
                Files.deleteIfExists(pending);
            } catch (IOException e) {
                // a stale temporary file; the next run makes its own
            }
        }
        return stoppedNormally;
    }
}
