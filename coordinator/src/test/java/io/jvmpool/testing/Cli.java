package io.jvmpool.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/**
 * Runs the jvmpool command line in this JVM (its workers are real child JVMs) and keeps what it
 * printed, log lines included (System.err is swapped for the run: tests run one at a time).
 */
public final class Cli {

    /** What one run gave. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    public static Result run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Method run = Class.forName("io.jvmpool.cli.Main").getDeclaredMethod("run", String[].class, PrintStream.class, PrintStream.class);
            run.setAccessible(true);
            PrintStream realErr = System.err;
            System.setErr(e);
            int code;
            try {
                code = (int) run.invoke(null, argv, o, e);
            } finally {
                System.setErr(realErr);
            }
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (ReflectiveOperationException ex) {
            throw new AssertionError(ex);
        }
    }
}
