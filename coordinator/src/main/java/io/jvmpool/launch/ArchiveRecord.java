package io.jvmpool.launch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * What a class data archive was when it was made: its size and CRC-32C, in {@code <archive>.sum}
 * beside it. The JVM maps an archive without checking its contents and crashes (SIGBUS) on a
 * truncated one; checking the record before each use costs a read of the file from the page cache
 * (CRC-32C is a CPU instruction: a few ms for 20 MB).
 */
final class ArchiveRecord {
    private static final String SUFFIX = ".sum";

    private ArchiveRecord() {
    }

    static Path of(Path archive) {
        return archive.resolveSibling(archive.getFileName() + SUFFIX);
    }

    static boolean isRecord(Path p) {
        return p.getFileName().toString().endsWith(SUFFIX);
    }

    /** Writes the record of {@code made}, which is about to be renamed to {@code archive}. */
    static void write(Path made, Path archive) throws IOException {
        String line = Files.size(made) + " " + Long.toHexString(crc(made)) + "\n";
        Path temp = of(archive).resolveSibling(of(archive).getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.writeString(temp, line, StandardCharsets.US_ASCII);
            Files.move(temp, of(archive), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Whether {@code archive} is what its record says it was made as. */
    static boolean matches(Path archive) {
        try {
            String[] recorded = Files.readString(of(archive), StandardCharsets.US_ASCII).strip().split(" ");
            return recorded.length == 2 && Long.parseLong(recorded[0]) == Files.size(archive)
                    && Long.parseLong(recorded[1], 16) == crc(archive);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long crc(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (in.read(buffer.clear()) > 0) {
                crc.update(buffer.flip());
            }
        }
        return crc.getValue();
    }
}
