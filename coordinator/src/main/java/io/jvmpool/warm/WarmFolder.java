package io.jvmpool.warm;

import io.jvmpool.shared.UserFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where a user's warm pools listen: {@code $TMPDIR/jvmpool-$USER/warm/}, one socket per pool
 * ({@code <key>-<pid>.sock}) with its log beside it. The folder must be the user's own and open to
 * nobody else (0700), and the one above it the user's and writable by nobody else: a folder someone
 * else made, or could change, is not used.
 */
public final class WarmFolder {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private WarmFolder() {
    }

    static Path path() {
        return UserFolders.runtime().resolve("warm");
    }

    /** The folder, if it exists and is safe to use. */
    static Optional<Path> existing() {
        Path folder = path();
        return safe(folder.getParent(), false) && safe(folder, true) ? Optional.of(folder) : Optional.empty();
    }

    /** The folder, made (owner only) if it is not there. */
    static Path create() throws IOException {
        Path folder = path();
        for (Path p : List.of(folder.getParent(), folder)) {
            boolean ours = p.equals(folder);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(p, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // made meanwhile: checked below
                }
                Files.setPosixFilePermissions(p, OWNER_ONLY); // the umask may have taken some away: none to add
            }
            if (!safe(p, ours)) {
                throw new IOException(p + " is not a folder of yours that only you can open");
            }
        }
        return folder;
    }

    /**
     * A real folder (no link), owned by this user, which nobody else may write into; when
     * {@code ownerOnly}, nobody else may read or enter it either.
     */
    private static boolean safe(Path p, boolean ownerOnly) {
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            Set<PosixFilePermission> others = ownerOnly
                    ? PosixFilePermissions.fromString("---rwxrwx")
                    : Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
            return a.isDirectory() && a.owner().getName().equals(System.getProperty("user.name"))
                    && a.permissions().stream().noneMatch(others::contains);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** The sockets of warm pools with this key, newest first. */
    static List<Path> sockets(Path folder, String key) {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(f -> f.getFileName().toString().startsWith(key.isEmpty() ? "" : key + "-")
                    && f.getFileName().toString().endsWith(".sock")).forEach(found::add);
        } catch (IOException e) {
            return List.of();
        }
        found.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        return found;
    }

    /** Every warm pool's socket, whatever its key. */
    static List<Path> allSockets() {
        return existing().map(f -> sockets(f, "")).orElse(List.of());
    }

    /** The socket of the pool in process {@code pid} with this key. */
    static Path socket(Path folder, String key, long pid) {
        return folder.resolve(key + "-" + pid + ".sock");
    }

    /** The pid in a socket's name. */
    static long pidOf(Path socket) {
        String name = socket.getFileName().toString();
        try {
            return Long.parseLong(name.substring(name.lastIndexOf('-') + 1, name.length() - ".sock".length()));
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
