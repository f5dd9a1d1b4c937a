package io.jvmpool.job;

import io.jvmpool.output.Manifest;
import io.jvmpool.output.OutputLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The output folder as a run found it, so that a run that puts no batch in place (it failed, was
 * refused, or was interrupted before its first batch) leaves it so: a folder it made goes again,
 * and the files a run makes before any batch (the manifest, errors.tsv, run.json) are removed,
 * except a run.json in a folder that held results before, which records what became of them.
 */
final class FolderBefore {
    /** The files a run makes in the folder besides the batches' own. */
    private static final List<String> BOOKKEEPING = List.of(Manifest.FILE_NAME, ErrorLog.FILE_NAME, RunReport.FILE_NAME,
            OutputLock.FILE_NAME);

    private final Path folder;
    private final boolean existed;
    private final boolean heldResults;
    private final List<String> present = new ArrayList<>();

    private FolderBefore(Path folder, boolean existed, boolean heldResults) {
        this.folder = folder;
        this.existed = existed;
        this.heldResults = heldResults;
    }

    static FolderBefore of(Path folder) {
        FolderBefore b = new FolderBefore(folder, Files.isDirectory(folder), Files.exists(folder.resolve(Manifest.FILE_NAME)));
        for (String name : BOOKKEEPING) {
            if (Files.exists(folder.resolve(name))) {
                b.present.add(name);
            }
        }
        return b;
    }

    /** Removes what the run made in the folder, and the folder itself if the run made it and nothing else is in it. */
    void restore() {
        try {
            for (String name : BOOKKEEPING) {
                boolean keepReport = name.equals(RunReport.FILE_NAME) && heldResults;
                if (!present.contains(name) && !keepReport) {
                    Files.deleteIfExists(folder.resolve(name));
                }
            }
            if (!existed && Files.isDirectory(folder)) {
                try (Stream<Path> left = Files.list(folder)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(folder);
                    }
                }
            }
        } catch (IOException e) {
            // it stays as it is: the message the user gets says why the run failed
        }
    }
}
