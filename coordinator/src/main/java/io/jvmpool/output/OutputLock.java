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
import java.nio.file.attribute.BasicFileAttributes;

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
    private boolean closed;

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
            Object opened = fileKey(file);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this very process: another job in this JVM
            }
            if (lock == null) {
                String holder = read(channel);
                for (int wait = 0; holder.isEmpty() && wait < 10; wait++) { // the holder may be writing its name just now
                    sleep(20);
                    holder = read(channel);
                }
                channel.close();
                throw new HeldException(folder + " is in use by another jvmpool job (" + (holder.isEmpty() ? "holder unknown" : holder)
                        + "); wait for it to end or choose another --out");
            }
            // The holder before us may have removed the file between our open and our lock: then we
            // hold the lock of a file nobody else sees. Only the file still under the name counts.
            // (Compared by inode, without opening the file again: closing any descriptor of a file
            // drops the process's POSIX locks on it.)
            if (opened != null && opened.equals(fileKey(file))) {
                String me = "pid " + ProcessHandle.current().pid() + " on " + hostName();
                channel.truncate(0).write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
                return new OutputLock(file, channel, lock);
            }
            lock.release();
            channel.close();
        }
        throw new IOException("can't take the lock " + file + ": it keeps changing");
    }

    /** Removes the lock file and releases the lock (in that order: see {@link #acquire}). */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Files.deleteIfExists(file);
        } finally {
            lock.release();
            channel.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(512);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    }

    /** The file's identity (device and inode), or null when it is gone. */
    private static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
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
