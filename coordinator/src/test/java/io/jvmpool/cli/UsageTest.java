package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Cli;
import io.jvmpool.testing.TaskJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad usage: exit code 2, one line on stderr that says what is wrong, nothing written. */
class UsageTest {
    @TempDir
    Path dir;

    private Cli.Result runExpectingUsageError(String... argv) throws IOException {
        Path out = dir.resolve("out");
        List<String> args = new ArrayList<>(List.of(argv));
        if (!args.contains("--out")) {
            args.addAll(List.of("--out", out.toString()));
        }
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err().lines().count()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).startsWith("jvmpool: ");
        assertThat(r.out()).isEmpty();
        if (Files.exists(out)) {
            try (var files = Files.list(out)) {
                assertThat(files).as("nothing written").isEmpty();
            }
        }
        return r;
    }

    @Test
    void optionsTakeTheirValueAfterASpaceOrAnEqualsSign() throws IOException {
        // the error comes from the value, so the value reached its option
        assertThat(runExpectingUsageError("--workers=-1").err()).contains("--workers must be 0 or more, got -1");
        assertThat(runExpectingUsageError("--dtype=int4").err()).contains("int4");
        assertThat(runExpectingUsageError("--worker-jvm-arg=-Xmx1m", "--worker-heap=1m").err()).contains("--worker-heap 1m is too small");
        // a value that holds '=' stays whole
        assertThat(runExpectingUsageError("-P", "=1").err()).contains("-P '=1'");
    }

    @Test
    void unknownFlag() throws IOException {
        assertThat(runExpectingUsageError("--frobnicate").err()).contains("--frobnicate");
    }

    @Test
    void unknownTaskName() throws IOException {
        assertThat(runExpectingUsageError("--task", "sead").err()).contains("no task named 'sead'").contains("seed");
    }

    @Test
    void classThatIsNotATask() throws IOException {
        assertThat(runExpectingUsageError("--task", "java.lang.String").err()).contains("does not implement io.jvmpool.api.Task");
    }

    @Test
    void missingTaskJar() throws IOException {
        assertThat(runExpectingUsageError("--task-jar", dir.resolve("nope.jar").toString(), "--task", "x.Y").err())
                .contains("nope.jar").contains("missing");
    }

    @Test
    void taskNotInTheGivenJar() throws IOException {
        Path jar = TaskJars.empty(dir);
        assertThat(runExpectingUsageError("--task-jar", jar.toString(), "--task", "com.example.Missing").err())
                .contains("com.example.Missing");
    }

    @Test
    void nonPositiveSizes() throws IOException {
        assertThat(runExpectingUsageError("--batches", "0").err()).contains("--batches");
        assertThat(runExpectingUsageError("--batch-size", "-3").err()).contains("--batch-size");
        assertThat(runExpectingUsageError("--workers", "-1").err()).contains("--workers");
    }

    @Test
    void badDtypeAndArgs() throws IOException {
        assertThat(runExpectingUsageError("--dtype", "float8").err()).contains("unknown dtype 'float8'").contains("bool, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float16, float32, float64");
        assertThat(runExpectingUsageError("--outputs", "a:complex64").err()).contains("--outputs a:complex64: unknown dtype 'complex64'");
        assertThat(runExpectingUsageError("--args", "1,two,3").err()).contains("two");
        assertThat(runExpectingUsageError("--outputs", "a,a,b").err()).contains("differ");
        assertThat(runExpectingUsageError("--outputs", "a/b").err()).contains("a/b");
    }

    @Test
    void argsFileWithABadValueNamesFileLineAndColumn() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "p1,p2,p3,p4\n1,2,3,4\n1,2,\"x\"3,4\n");
        assertThat(runExpectingUsageError("--args-file", csv.toString()).err()).contains("bad.csv:3:").contains("quote");
        Files.writeString(csv, "p1,p2,p3,p4\n1,2,3,4\n1,2,1e999,4\n");
        assertThat(runExpectingUsageError("--args-file", csv.toString()).err()).contains("bad.csv:3:3").contains("1e999");
    }

    @Test
    void argsFileWithAWrongColumnCount() throws IOException {
        Path csv = dir.resolve("short.csv");
        Files.writeString(csv, "p1,p2,p3,p4\n1,2,3,4\n1,2,3\n");
        assertThat(runExpectingUsageError("--args-file", csv.toString()).err()).contains("short.csv:3").contains("3 values");
    }

    @Test
    void missingArgsFile() throws IOException {
        assertThat(runExpectingUsageError("--args-file", dir.resolve("none.csv").toString()).err()).contains("none.csv");
    }

    @Test
    void outputFolderThatCantBeWritten() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThat(runExpectingUsageError("--out", file.resolve("sub").toString()).err()).contains("output folder");
    }

    @Test
    void aPortAlreadyInUse() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(runExpectingUsageError("--listen", "127.0.0.1:" + taken.getLocalPort(), "-P", "loop=10").err())
                    .contains("can't listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void contradictoryOrMalformedFlags() throws IOException {
        assertThat(runExpectingUsageError("--resume", "--overwrite").err()).contains("--resume and --overwrite");
        assertThat(runExpectingUsageError("--listen", "nowhere").err()).contains("ADDR:PORT");
        assertThat(runExpectingUsageError("--advertise", "node7:7070").err()).contains("--advertise 'node7:7070' is not a host");
        assertThat(runExpectingUsageError("--task-timeout", "soon").err()).contains("soon");
        assertThat(runExpectingUsageError("--on-error", "ignore").err()).contains("ignore");
        assertThat(runExpectingUsageError("--max-attempts", "0").err()).contains("--max-attempts");
    }

    @Test
    void limitsAreCheckedBeforeAnyWorkerStarts() throws IOException {
        assertThat(runExpectingUsageError("--outputs", "a".repeat(242)).err()).contains("too long for a file name");
        assertThat(runExpectingUsageError("--batch-size", "2147483647", "--batches", "1").err()).contains("--batch-size").contains("fit one batch");
        assertThat(runExpectingUsageError("--batch-size", "1000000000", "--batches", "2").err()).contains("fit one batch");
        assertThat(runExpectingUsageError("--batches", "100000000", "--batch-size", "100000000").err())
                .contains("10,000,000,000,000,000 tasks");
        assertThat(runExpectingUsageError("--worker-heap", "1k").err()).contains("--worker-heap 1k is too small");
        assertThat(runExpectingUsageError("--worker-heap", "99999999999g").err()).contains("not a size");
    }

    @Test
    void oneNumberGrammarForArgs() throws IOException {
        assertThat(runExpectingUsageError("--args", "1e309,1,2,3").err()).contains("out of the range of a double");
        assertThat(runExpectingUsageError("--args", "9223372036854775808,1,2,3").err()).contains("64-bit integer");
        assertThat(runExpectingUsageError("--args", ",,,").err()).contains("empty value");
        assertThat(runExpectingUsageError("--args", "1,2,").err()).contains("--args value 3").contains("empty value");
        assertThat(runExpectingUsageError("-P", "=x").err()).contains("-P '=x'");
        Path csv = dir.resolve("huge.csv");
        Files.writeString(csv, "p1,p2,p3,p4\n1,2,3,4\n1,2,1e400,4\n");
        assertThat(runExpectingUsageError("--args-file", csv.toString()).err()).contains("huge.csv:3:3").contains("range of a double");
    }

    @Test
    void helpAndVersionExitZero() {
        Cli.Result help = Cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--task").contains("--args-file").contains("--batches").contains("--batch-size")
                .contains("--outputs").contains("--dtype").contains("--out").contains("-P").contains("--workers");
        Cli.Result version = Cli.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("jvmpool ");
    }
}
