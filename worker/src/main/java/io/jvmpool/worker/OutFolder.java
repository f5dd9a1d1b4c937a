package io.jvmpool.worker;

import io.jvmpool.proto.TaskSetup;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * The folder a dialing worker was told is the coordinator's output folder ({@code --out}, a mount in
 * a container): it counts only once it holds the job's probe file with the job's secret, and the
 * worker may open that file for writing. Anything else (no such file, another secret, a read-only
 * mount) and the worker sends its rows as data, as any remote worker does.
 */
final class OutFolder {
    private OutFolder() {
    }

    /** Whether {@code folder} is the output folder of the job that {@code setup} describes, and writable here. */
    static boolean isTheJobs(Path folder, TaskSetup setup) {
        if (folder == null || setup.getOutProbe().isEmpty() || setup.getOutSecret().isEmpty()) {
            return false;
        }
        Path probe = folder.resolve(Path.of(setup.getOutProbe()).getFileName().toString());
        try {
            if (Files.size(probe) != setup.getOutSecret().size()
                    || !MessageDigest.isEqual(Files.readAllBytes(probe), setup.getOutSecret().toByteArray())) {
                return false;
            }
            try (FileChannel writable = FileChannel.open(probe, StandardOpenOption.WRITE)) {
                return writable.isOpen();
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Where a batch file the coordinator names is, as this worker sees it: the same name in {@code folder}. */
    static Path resolve(Path folder, String coordinatorPath) {
        return folder == null ? Path.of(coordinatorPath) : folder.resolve(Path.of(coordinatorPath).getFileName().toString());
    }
}
