package io.jvmpool.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Docker engine, through its command line. Without an engine the tests that need it are skipped,
 * except under {@code CI=true}, where they fail (.ci/run starts one).
 */
public final class Docker {
    /** The JRE base image .ci/docker-engine makes from Debian's packages (no image can be pulled here). */
    public static final String BASE_IMAGE = System.getenv().getOrDefault("JVMPOOL_BASE_IMAGE", "jvmpool/jre17-base:bookworm");

    private Docker() {
    }

    public static void require() {
        Need.DOCKER.require();
    }

    /** Waits until {@code docker args...} lists nothing (containers, networks being removed). */
    public static void awaitNone(int seconds, String... args) {
        org.awaitility.Awaitility.await("docker " + String.join(" ", args) + " lists nothing").atMost(java.time.Duration.ofSeconds(seconds))
                .pollInterval(java.time.Duration.ofMillis(500)).until(() -> tryRun(args), out -> out.exitCode() == 0 && out.text().isBlank());
    }

    /** What a command printed, and its exit code. */
    public record Output(int exitCode, String text) {
    }

    /** Runs {@code docker args...}; fails the test when it fails. Returns its output. */
    public static String run(String... args) {
        try {
            List<String> command = new ArrayList<>(List.of("docker"));
            command.addAll(List.of(args));
            Output out = exec(600, command.toArray(String[]::new));
            if (out.exitCode != 0) {
                fail(String.join(" ", command) + " failed (" + out.exitCode + "):\n" + out.text);
            }
            return out.text.strip();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs {@code docker args...} and returns what happened, whatever it was. */
    public static Output tryRun(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return exec(600, command.toArray(String[]::new));
    }

    private static Output exec(int seconds, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Output(-1, text + "\n(timed out)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Output(-1, text);
        }
        return new Output(p.exitValue(), text);
    }
}
