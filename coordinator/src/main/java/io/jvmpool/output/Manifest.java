package io.jvmpool.output;

import io.jvmpool.shared.Checksums;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.jvmpool.rows.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code jvmpool-manifest.json} in the output folder: which job wrote it and, for each batch whose
 * files are all on disk, their names and CRC-32C. It is rewritten (atomically) after each batch, so
 * that {@code --resume} can keep exactly the batches whose files are complete and unchanged. Older
 * manifests hold SHA-256 instead (jvmpool before December 2026), and are checked with it.
 */
public final class Manifest {
    public static final String FILE_NAME = "jvmpool-manifest.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /** What the manifest holds; the field names are the JSON's. */
    private static final class Content {
        JsonObject job;
        /** Each output's dtype and the shape of one row, once known (manifests of older versions have none). */
        Map<String, ArrayEntry> outputs;
        Map<String, BatchEntry> batches = new TreeMap<>();
    }

    private static final class ArrayEntry {
        String dtype;
        int[] shape;
    }

    private static final class BatchEntry {
        String written;
        Map<String, String> crc32c = new TreeMap<>();
        /** Written by older versions: read and checked, never written. */
        Map<String, String> sha256;

        /** Each file's name and its checksum, as this entry has them. */
        Map<String, String> files() {
            return sha256 != null && (crc32c == null || crc32c.isEmpty()) ? sha256 : crc32c == null ? Map.of() : crc32c;
        }

        boolean matches(Path file, String expected) throws IOException {
            String actual = files() == sha256 ? Checksums.sha256(file) : Checksums.crc32c(file);
            return actual.equals(expected);
        }
    }

    private final Path file;
    private final Content content;

    private Manifest(Path file, Content content) {
        this.file = file;
        this.content = content;
    }

    /** A new manifest for {@code job}, not yet written. */
    public static Manifest create(Path folder, JsonObject job) {
        Content c = new Content();
        c.job = job;
        return new Manifest(folder.resolve(FILE_NAME), c);
    }

    /** The manifest in {@code folder}, if there is one. */
    public static Optional<Manifest> read(Path folder) throws IOException {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            Content c = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Content.class);
            if (c == null || c.job == null || c.batches == null) {
                throw new IOException(file + " is not a jvmpool manifest");
            }
            return Optional.of(new Manifest(file, c));
        } catch (JsonParseException e) {
            throw new IOException(file + " is damaged: " + e.getMessage());
        }
    }

    public JsonObject job() {
        return content.job;
    }

    /** The batches whose files all exist and still have the recorded checksum. */
    public List<Integer> verifiedBatches() throws IOException {
        List<Integer> good = new ArrayList<>();
        for (Map.Entry<String, BatchEntry> e : content.batches.entrySet()) {
            boolean ok = !e.getValue().files().isEmpty();
            for (Map.Entry<String, String> f : e.getValue().files().entrySet()) {
                Path p = file.resolveSibling(f.getKey());
                ok = ok && Files.isRegularFile(p) && e.getValue().matches(p, f.getValue());
            }
            if (ok) {
                good.add(Integer.parseInt(e.getKey()));
            }
        }
        return new ArrayList<>(new TreeSet<>(good));
    }

    /** Keeps only these batches (the ones that will stay on disk). */
    public void retain(List<Integer> batches) {
        content.batches.keySet().removeIf(k -> !batches.contains(Integer.parseInt(k)));
    }

    /** Every file name the manifest lists. */
    public List<String> fileNames() {
        List<String> names = new ArrayList<>();
        content.batches.values().forEach(b -> names.addAll(b.files().keySet()));
        return names;
    }

    /** Says, for the files to come, each output's dtype and the shape of one of its rows (files are {@code (rows, *shape)}). */
    public synchronized void arrays(List<String> names, List<DType> dtypes, List<int[]> rowShapes) {
        Map<String, ArrayEntry> outputs = new java.util.LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) {
            ArrayEntry e = new ArrayEntry();
            e.dtype = dtypes.get(k).numpyName();
            e.shape = rowShapes.get(k).clone();
            outputs.put(names.get(k), e);
        }
        content.outputs = outputs;
    }

    /** Records a batch whose files are on disk and rewrites the manifest. */
    public synchronized void record(BatchAssembler.WrittenBatch batch) throws IOException {
        BatchEntry entry = new BatchEntry();
        entry.written = Instant.now().toString();
        for (BatchAssembler.WrittenFile f : batch.files()) {
            entry.crc32c.put(f.path().getFileName().toString(), f.crc32c());
        }
        String key = Integer.toString(batch.batch());
        content.batches.put(key, entry);
        try {
            save();
        } catch (IOException e) {
            content.batches.remove(key); // not on disk: it must not be saved later either
            throw e;
        }
    }

    /** Writes the manifest to a temporary file, synced, and renames it over the old one. */
    public synchronized void save() throws IOException {
        AtomicFile.write(file, GSON.toJson(content).getBytes(StandardCharsets.UTF_8));
    }

    /** True when two job descriptions are the same job. */
    public static boolean sameJob(JsonElement a, JsonElement b) {
        return a.equals(b);
    }
}
