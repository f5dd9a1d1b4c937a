package io.jvmpool.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where running coordinators leave their address for {@code jvmpool status}: one small file per
 * coordinator process in a folder of the user's, removed when the job ends.
 */
public final class CoordinatorRegistry {

    /** A running coordinator: its pid and the address its gRPC server listens on. */
    public record Entry(long pid, String address) {
    }

    private CoordinatorRegistry() {
    }

    public static Path folder() {
        return io.jvmpool.shared.UserFolders.runtime();
    }

    /** Leaves this process's address, and removes those of coordinators that are gone; returns the file to remove at the end. */
    public static Path register(String address) throws IOException {
        Files.createDirectories(folder());
        running(); // drops the files of coordinators that ended without removing theirs (kill -9)
        Path file = folder().resolve(ProcessHandle.current().pid() + ".address");
        Files.writeString(file, address, StandardCharsets.UTF_8);
        return file;
    }

    /** The coordinators running now (files of processes that are gone are cleaned up). */
    public static List<Entry> running() throws IOException {
        List<Entry> found = new ArrayList<>();
        if (!Files.isDirectory(folder())) {
            return found;
        }
        try (Stream<Path> files = Files.list(folder())) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("\\d+\\.address")).toList()) {
                String name = f.getFileName().toString();
                long pid = Long.parseLong(name.substring(0, name.indexOf('.')));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    found.add(new Entry(pid, Files.readString(f, StandardCharsets.UTF_8).strip()));
                } else {
                    Files.deleteIfExists(f);
                }
            }
        }
        return found;
    }
}
