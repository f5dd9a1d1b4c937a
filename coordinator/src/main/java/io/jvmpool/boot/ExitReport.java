package io.jvmpool.boot;

import io.jvmpool.shared.UserFolders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The exit code the relaunched coordinator chose, handed to the launcher in a small file: a JVM
 * that writes a class data archive as it exits exits 1 when that write fails (a full or read-only
 * cache disk), and an archive is an optimisation that must never change what a job's exit code says.
 */
final class ExitReport {
    private ExitReport() {
    }

    private static Path file(long pid) {
        return UserFolders.runtime().resolve(pid + ".exit");
    }

    /** In the coordinator, just before it exits. Best effort: without it the launcher takes the JVM's code. */
    static void write(int code) {
        try {
            Files.createDirectories(UserFolders.runtime());
            Files.writeString(file(ProcessHandle.current().pid()), Integer.toString(code), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            // the JVM's own exit code stands
        }
    }

    /** In the launcher, once the coordinator {@code pid} has exited: the code it chose, if it said; the file is removed. */
    static OptionalInt take(long pid) {
        Path f = file(pid);
        try {
            return OptionalInt.of(Integer.parseInt(Files.readString(f, StandardCharsets.US_ASCII).strip()));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        } finally {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // left for the next registry clean-up
            }
        }
    }
}
