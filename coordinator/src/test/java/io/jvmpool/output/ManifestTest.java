package io.jvmpool.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest's logic on its own: what it records, what it verifies, what resuming keeps. */
class ManifestTest {
    @TempDir
    Path dir;

    private static JsonObject job(String task) {
        JsonObject job = new JsonObject();
        job.addProperty("task", task);
        return job;
    }

    /** A batch of one file, written with NpyWriter as the batch writer writes them, and recorded. */
    private void batch(Manifest manifest, int number, byte value) throws Exception {
        Path file = dir.resolve(BatchAssembler.fileName("a", number));
        String sha = NpyWriter.write(file, io.jvmpool.rows.DType.FLOAT32, new long[] {2}, new byte[] {value, 0, 0, 0, value, 0, 0, 0}, 0, 8);
        manifest.record(new BatchAssembler.WrittenBatch(number, List.of(new BatchAssembler.WrittenFile(file, sha, Files.size(file)))));
    }

    @Test
    void batchesWhoseFilesAreWholeAndUnchangedAreVerified() throws Exception {
        Manifest manifest = Manifest.create(dir, job("seed"));
        batch(manifest, 0, (byte) 1);
        batch(manifest, 1, (byte) 2);
        batch(manifest, 2, (byte) 3);
        Files.write(dir.resolve("a_para_1.npy"), new byte[] {1}, java.nio.file.StandardOpenOption.APPEND); // damaged
        Files.delete(dir.resolve("a_para_2.npy")); // missing
        Manifest read = Manifest.read(dir).orElseThrow();
        assertThat(read.verifiedBatches()).containsExactly(0);
        assertThat(read.fileNames()).containsExactlyInAnyOrder("a_para_0.npy", "a_para_1.npy", "a_para_2.npy");
        assertThat(Manifest.sameJob(read.job(), job("seed"))).isTrue();
        assertThat(Manifest.sameJob(read.job(), job("burn"))).isFalse();
    }

    @Test
    void aManifestOfAnOlderVersionIsCheckedWithTheSha256ItHolds() throws Exception {
        Manifest manifest = Manifest.create(dir, job("seed"));
        batch(manifest, 0, (byte) 1);
        batch(manifest, 1, (byte) 2);
        // as jvmpool wrote it before CRC-32C: each batch's files with their SHA-256
        String older = Files.readString(dir.resolve(Manifest.FILE_NAME));
        for (String name : List.of("a_para_0.npy", "a_para_1.npy")) {
            String crc = io.jvmpool.shared.Checksums.crc32c(dir.resolve(name));
            older = older.replace("\"" + name + "\": \"" + crc + "\"", "\"" + name + "\": \"" + io.jvmpool.shared.Checksums.sha256(dir.resolve(name)) + "\"");
        }
        older = older.replace("\"crc32c\"", "\"sha256\"");
        assertThat(older).doesNotContain("crc32c").contains("sha256");
        Files.writeString(dir.resolve(Manifest.FILE_NAME), older);
        Files.write(dir.resolve("a_para_1.npy"), new byte[] {9}, java.nio.file.StandardOpenOption.APPEND);
        Manifest read = Manifest.read(dir).orElseThrow();
        assertThat(read.verifiedBatches()).containsExactly(0);
        assertThat(read.fileNames()).containsExactlyInAnyOrder("a_para_0.npy", "a_para_1.npy");
    }

    @Test
    void retainingKeepsOnlyTheBatchesThatStay() throws Exception {
        Manifest manifest = Manifest.create(dir, job("seed"));
        batch(manifest, 0, (byte) 1);
        batch(manifest, 1, (byte) 2);
        Manifest read = Manifest.read(dir).orElseThrow();
        read.retain(List.of(1));
        read.save();
        assertThat(Manifest.read(dir).orElseThrow().fileNames()).containsExactly("a_para_1.npy");
    }

    @Test
    void aDamagedManifestIsSaidToBeSo() throws Exception {
        assertThat(Manifest.read(dir)).isEmpty();
        Files.writeString(dir.resolve(Manifest.FILE_NAME), "{\"job\": ");
        assertThatThrownBy(() -> Manifest.read(dir)).hasMessageContaining("is damaged");
        Files.writeString(dir.resolve(Manifest.FILE_NAME), "[]");
        assertThatThrownBy(() -> Manifest.read(dir)).hasMessageContaining("is damaged");
        Files.writeString(dir.resolve(Manifest.FILE_NAME), "{}");
        assertThatThrownBy(() -> Manifest.read(dir)).hasMessageContaining("is not a jvmpool manifest");
    }
}
