package io.jvmpool.job;

import com.google.gson.JsonObject;
import io.jvmpool.output.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The output folder's state before a job: empty, holding this job's finished batches
 * (resuming keeps the verified ones), or holding results that must not be overwritten
 * silently (overwriting removes them first).
 */
final class OutputFolder {

    /**
     * What the job starts from: its manifest, the batches already on disk, and the files to remove
     * first (overwrite). Nothing on disk changes until {@link #apply()}.
     */
    record Start(Manifest manifest, List<Integer> keptBatches, List<Path> toRemove) {

        /** Removes what overwriting replaces and saves the manifest of what is kept. */
        void apply() throws IOException {
            for (Path p : toRemove) {
                Files.deleteIfExists(p);
            }
            if (!keptBatches.isEmpty()) {
                manifest.retain(keptBatches);
                manifest.save();
            }
        }
    }

    private OutputFolder() {
    }

    static Start check(Path folder, JsonObject job, List<String> outputs, boolean resume, boolean overwrite, OptionNames names)
            throws JobSetupException, IOException {
        Manifest old;
        try {
            old = Manifest.read(folder).orElse(null);
        } catch (IOException e) {
            if (!overwrite) {
                throw new JobSetupException(e.getMessage() + "; use " + names.overwrite() + " to start afresh");
            }
            old = null;
        }
        List<Path> existing = existingResults(folder, outputs, old);
        if (overwrite) {
            List<Path> remove = new ArrayList<>(existing);
            remove.add(folder.resolve(Manifest.FILE_NAME));
            remove.add(folder.resolve(ErrorLog.FILE_NAME));
            return new Start(Manifest.create(folder, job), List.of(), remove);
        }
        if (resume) {
            if (old == null) {
                if (!existing.isEmpty()) {
                    throw new JobSetupException(folder + " holds results (" + existing.get(0).getFileName()
                            + ", ...) but no " + Manifest.FILE_NAME + " to resume from; use " + names.overwrite() + " to replace them");
                }
                return new Start(Manifest.create(folder, job), List.of(), List.of());
            }
            if (!Manifest.sameJob(old.job(), job)) {
                throw new JobSetupException(folder + " holds the results of a different job (" + difference(old.job(), job)
                        + "); resume with the same options, use " + names.overwrite() + ", or choose another " + names.out());
            }
            return new Start(old, old.verifiedBatches(), List.of());
        }
        if (!existing.isEmpty() || old != null) {
            String example = existing.isEmpty() ? Manifest.FILE_NAME : existing.get(0).getFileName().toString();
            throw new JobSetupException(folder + " already holds results (" + example + (existing.size() > 1 ? ", ..." : "")
                    + "): add " + names.resume() + " to finish that job, " + names.overwrite() + " to replace it, or choose another " + names.out());
        }
        return new Start(Manifest.create(folder, job), List.of(), List.of());
    }

    /** Files this job would write that are there already, and the files the old manifest lists. */
    private static List<Path> existingResults(Path folder, List<String> outputs, Manifest old) throws IOException {
        List<Path> found = new ArrayList<>();
        List<Pattern> patterns = outputs.stream()
                .map(name -> Pattern.compile(Pattern.quote(name) + "_para_\\d+\\.npy")).toList();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(p -> patterns.stream().anyMatch(pt -> pt.matcher(p.getFileName().toString()).matches()))
                    .sorted()
                    .forEach(found::add);
        }
        if (old != null) {
            for (String name : old.fileNames()) {
                Path p = folder.resolve(name);
                if (Files.exists(p) && !found.contains(p)) {
                    found.add(p);
                }
            }
        }
        return found;
    }

    /** The first field in which two job descriptions differ, for the message. */
    private static String difference(JsonObject was, JsonObject now) {
        for (String key : now.keySet()) {
            if (!now.get(key).equals(was.get(key))) {
                return key + " was " + was.get(key) + ", now " + now.get(key);
            }
        }
        return "its description differs";
    }
}
