package io.jvmpool.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine. Where it is missing the test is skipped, except under
 * {@code CI=true} (.ci/run installs and starts all of these), where it fails: CI never passes by
 * skipping. Say it with {@link Needs} on a test or class, or call {@link #require()} where the need
 * shows up (a helper that drives the tool).
 */
public enum Need {
    NUMPY("python3 with numpy", () -> succeeds("python3", "-c", "import numpy")),
    TMUX("tmux", () -> succeeds("tmux", "-V")),
    DOCKER("a Docker engine (.ci/docker-engine starts one)", () -> succeeds("docker", "info")),
    ROOT("root (network namespaces, mounts)", () -> "root".equals(System.getProperty("user.name"))),
    SLURM("Slurm (slurmctld, slurmd, munge) and root",
            () -> Files.isExecutable(Path.of("/usr/sbin/slurmctld")) && Files.isExecutable(Path.of("/usr/sbin/munged"))
                    && "root".equals(System.getProperty("user.name"))),
    OPENSSL("openssl", () -> succeeds("openssl", "version")),
    COMPOSE("docker-compose (Debian's docker-compose)", () -> succeeds("docker-compose", "version")),
    PROMETHEUS("a Prometheus server and promtool (Debian's prometheus)", () -> succeeds("prometheus", "--version")
            && succeeds("promtool", "--version")),
    CHROMIUM("headless Chromium (Debian's chromium)", () -> succeeds("chromium", "--headless", "--no-sandbox", "--version"));

    private static final Map<Need, Boolean> PRESENT = new ConcurrentHashMap<>();
    private final String what;
    private final BooleanSupplier probe;

    Need(String what, BooleanSupplier probe) {
        this.what = what;
        this.probe = probe;
    }

    /** Whether this machine has it (asked once per test JVM). */
    public boolean present() {
        return PRESENT.computeIfAbsent(this, n -> n.probe.getAsBoolean());
    }

    /** Skips the calling test where this is missing, or fails it under CI=true. */
    public void require() {
        if (present()) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(what + " is needed for this test (CI=true, so it is not skipped)");
        }
        Assumptions.abort(what + " is not available here: skipped (set CI=true to make this a failure)");
    }

    private static boolean succeeds(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
