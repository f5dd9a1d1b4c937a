package io.jvmpool.output;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * One job at a time per output folder: an exclusive lock on {@code .jvmpool.lock} in it, held for
 * the job's whole life. The operating system drops the lock when its process ends however it ends,
 * so a lock left by a dead job is simply taken over. The file names its holder (pid and host) for
 * the message another job gets.
 */
public final class OutputLock implements AutoCloseable {
    public static final String FILE_NAME = ".jvmpool.lock";

    /** The folder is held by another job. */
    public static final class HeldException extends Exception {
        HeldException(String message) {
            super(message);
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code folder}, or says who holds it. */
    public static OutputLock acquire(Path folder) throws IOException, HeldException {
        Path file = folder.resolve(FILE_NAME);
        for (int attempt = 0; attempt < 10; attempt++) {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = read(channel);
                channel.close();
                throw new HeldException(folder + " is in use by another jvmpool job (" + (holder.isEmpty() ? "holder unknown" : holder)
                        + "); wait for it to end or choose another --out");
            }
            String me = "pid " + ProcessHandle.current().pid() + " on " + hostName() + " " + UUID.randomUUID();
            channel.truncate(0).write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            // The holder before us may have removed the file between our open and our lock: then we
            // hold the lock of a file nobody else sees. Only the file still under the name counts.
            if (me.equals(readName(file).orElse(null))) {
                return new OutputLock(file, channel, lock);
            }
            lock.release();
            channel.close();
        }
        throw new IOException("can't take the lock " + file + ": it keeps changing");
    }

    /** Removes the lock file and releases the lock (in that order: see {@link #acquire}). */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            lock.release();
            channel.close();
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(512);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
        int uuid = text.lastIndexOf(' ');
        return uuid > 0 ? text.substring(0, uuid) : text;
    }

    private static Optional<String> readName(Path file) throws IOException {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }
}
