package io.jvmpool.shared;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The running Linux kernel's boot id: one random value per boot, the same in every container and
 * namespace of the machine. Two processes with the same boot id share one page cache, so what one
 * writes into a file through a mapping the other reads at once.
 */
public final class BootId {
    private static final Path FILE = Path.of("/proc/sys/kernel/random/boot_id");

    private BootId() {
    }

    /** This kernel's boot id, or "" where there is none (not Linux). */
    public static String get() {
        try {
            return Files.readString(FILE).strip();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
