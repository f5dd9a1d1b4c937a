package io.jvmpool.output;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A file written under a temporary name beside its target and renamed into place, so that a reader
 * sees the whole file or none. The temporary file is created afresh ({@code CREATE_NEW}, never
 * through a symlink) under an unpredictable name, and synced before the rename; the rename replaces a
 * symlink at the target instead of writing through it, and the folder is synced after it.
 */
public final class AtomicFile implements AutoCloseable {
    /** The longest file name Linux file systems take. */
    public static final int MAX_NAME_BYTES = 255;
    private static final String SUFFIX = ".tmp";
    private static final int RANDOM_BYTES = 8;
    /** Our temporary files: {@code .<name>.<16 hex digits>.tmp}, and {@code .<name>.tmp} from older versions. */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.([0-9a-f]{16}\\.)?tmp");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private boolean committed;

    private AtomicFile(Path target) throws IOException {
        this.target = target;
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        this.temp = target.resolveSibling("." + target.getFileName() + "." + HexFormat.of().formatHex(random) + SUFFIX);
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
    }

    /** Starts writing {@code target}: nothing appears under its name until {@link #commit()}. */
    public static AtomicFile create(Path target) throws IOException {
        return new AtomicFile(target);
    }

    /** Writes {@code bytes} as the whole of {@code target}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        try (AtomicFile file = create(target)) {
            file.stream().write(bytes);
            file.commit();
        }
    }

    /** The length of the temporary name of a file named {@code name}. */
    public static int tempNameLength(String name) {
        return 1 + name.length() + 1 + 2 * RANDOM_BYTES + SUFFIX.length();
    }

    /** Where to write the content; closing it is not needed. */
    public OutputStream stream() {
        return new OutputStream() {
            private final OutputStream out = Channels.newOutputStream(channel);

            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }
        };
    }

    /** The temporary file's path (absolute): others on this machine may write into it before the rename. */
    public Path temporary() {
        return temp.toAbsolutePath();
    }

    /** The temporary file itself, for writes at given positions (and reading back what was written). */
    public FileChannel channel() {
        return channel;
    }

    /** The bytes written so far. */
    public long size() throws IOException {
        return channel.size();
    }

    /** Syncs the content, renames it into place and syncs the folder: after this the file survives a crash. */
    public void commit() throws IOException {
        channel.force(true);
        channel.close();
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        committed = true;
        syncFolder(target.toAbsolutePath().getParent());
    }

    /** Drops the temporary file unless it was committed. */
    @Override
    public void close() throws IOException {
        channel.close();
        if (!committed) {
            Files.deleteIfExists(temp);
        }
    }

    /** Makes a rename in {@code folder} durable (Linux: fsync on the directory). */
    public static void syncFolder(Path folder) throws IOException {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems can't sync a directory; the rename itself is still atomic
        }
    }

    /** Removes temporary files a crashed run left in {@code folder}: they are never trusted or reused. */
    public static List<Path> removeLeftovers(Path folder) throws IOException {
        List<Path> left;
        try (Stream<Path> files = Files.list(folder)) {
            left = files.filter(p -> TEMPORARY.matcher(p.getFileName().toString()).matches()).toList();
        }
        for (Path p : left) {
            Files.deleteIfExists(p); // a symlink is removed, not followed
        }
        return left;
    }
}
