package io.jvmpool.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs python3 with numpy from a test, so that files are checked by numpy itself. Without python3
 * or numpy a test is skipped, except under {@code CI=true}, where it fails.
 */
public final class Numpy {
    private Numpy() {
    }

    /** Runs {@code script} with {@code args} as sys.argv[1:]; returns its stdout, trimmed. Fails on a non-zero exit. */
    public static String run(String script, String... args) {
        requireNumpy();
        List<String> command = new ArrayList<>(List.of("python3", "-c", script));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("python3 took over 60 s");
            }
            if (p.exitValue() != 0) {
                fail("python3 failed (exit " + p.exitValue() + "):\n" + out);
            }
            return out.trim();
        } catch (IOException e) {
            throw new AssertionError("can't run python3", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void requireNumpy() {
        Need.NUMPY.require();
    }
}
