package io.jvmpool.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every benchmark scenario still runs, at tiny sizes, once. Speed is measured by bench/run, never
 * asserted here.
 */
class BenchSmokeIT {
    @TempDir
    Path dir;

    @Test
    void everyScenarioRunsAndIsReported() throws Exception {
        Process p = new ProcessBuilder("python3", System.getProperty("jvmpool.bench"), "--smoke", "--reps", "1",
                "--out", dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("log.txt"))).isZero();
        JsonObject results = JsonParser.parseString(Files.readString(dir.resolve("latest.json"))).getAsJsonObject()
                .getAsJsonObject("results");
        assertThat(results.keySet()).containsExactlyInAnyOrder("seed", "two", "warm", "scaling", "tiny", "startup", "memory", "bandwidth",
                "http");
        assertThat(Files.readString(dir.resolve("latest.md"))).contains("| 1. seed job").contains("| 1b. two trivial tasks")
                .contains("| 1c. repeat jobs on a warm pool").contains("| 1d. a warm pool while idle")
                .contains("| 6. results").contains("| 7. the same results over gRPC").contains("| 8. `--http`");
        assertThat(results.getAsJsonObject("warm").keySet()).contains("two_warm_s", "python_pool_two_s", "idle_worker_rss_mb");
        assertThat(results.getAsJsonObject("bandwidth").keySet()).contains("grpc_mb_per_s_from_first_task", "disk_write_mb_per_s");
    }
}
