package io.jvmpool.worker;

import io.jvmpool.shared.Unmapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A batch file the coordinator made (and sized), written through a shared mapping: rows are copied
 * straight into the page cache without a turn on the file's inode lock, which the workers of one
 * machine would otherwise take in turns for every {@code pwrite}, so they write a file side by side.
 * Each write maps just its rows and unmaps them at once: pages still mapped when the coordinator
 * syncs the file would each cost a TLB shootdown across CPUs. The mapped pages are the file's page
 * cache, not this JVM's memory (RssFile, not RssAnon).
 */
final class MappedFile implements AutoCloseable {
    static final long WINDOW = 8L << 20;
    private final FileChannel channel;
    private final long size;
    private MappedByteBuffer window;
    private long windowStart = -1;

    private MappedFile(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
    }

    /** Opens an existing file for writing (never creates one). */
    static MappedFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new MappedFile(channel, channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Copies {@code data} into the file at {@code position}; the file must already be that long. */
    void write(ByteBuffer data, long position) throws IOException {
        int n = data.remaining();
        if (position < 0 || position + n > size) {
            throw new IOException("rows at " + position + ".." + (position + n) + " lie beyond the file's " + size + " bytes");
        }
        while (data.hasRemaining()) {
            long w = position / WINDOW * WINDOW;
            if (w != windowStart) {
                Unmapper.unmap(window);
                window = null;
                window = channel.map(FileChannel.MapMode.READ_WRITE, w, Math.min(WINDOW, size - w));
                windowStart = w;
            }
            int offset = (int) (position - w);
            int k = Math.min(data.remaining(), window.capacity() - offset);
            window.put(offset, data, data.position(), k);
            data.position(data.position() + k);
            position += k;
        }
    }

    @Override
    public void close() throws IOException {
        Unmapper.unmap(window);
        window = null;
        channel.close();
    }
}
