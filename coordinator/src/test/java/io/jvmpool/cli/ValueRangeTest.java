package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Numpy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A value the dtype can't hold fails its task, as numpy refuses it, instead of being stored wrong. */
class ValueRangeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "3e9,1,2,3 | int32 | output #0: 3.0E9 can't be stored as int32",
        "nan,1,2,3 | int32 | output #0: NaN can't be stored as int32",
        "-inf,1,2,3 | int64 | output #0: -Infinity can't be stored as int64",
        "1e39,1,2,3 | float32 | output #0: 1.0E39 can't be stored as float32"})
    void theJobStopsWithTheTaskTheOutputTheValueAndTheDtype(String args, String dtype, String message) {
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("--task", "trivial", "--args", args, "--dtype", dtype, "--out", out.toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("job failed: task ").contains(message);
    }

    @Test
    void aWholeNumberOutOfRangeIsRefusedToo() {
        Cli.Result r = Cli.run("--task", "io.jvmpool.testtasks.LongTask", "--args", "3000000000", "--outputs", "n",
                "--dtype", "int32", "--out", dir.resolve("long").toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("output #0: 3000000000 can't be stored as int32");
        Cli.Result fits = Cli.run("--task", "io.jvmpool.testtasks.LongTask", "--args", "-2147483648", "--outputs", "n",
                "--dtype", "int32", "--out", dir.resolve("fits").toString(), "-q");
        assertThat(fits.exitCode()).as(fits.toString()).isZero();
    }

    @Test
    void withSkipTheRowIsRecordedAndLeftZero() throws IOException {
        Path out = dir.resolve("skip");
        Cli.Result r = Cli.run("--task", "trivial", "--args", "3e9,1,2,3", "--dtype", "int32", "--on-error", "skip",
                "--batches", "1", "--batch-size", "4", "--out", out.toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readAllLines(out.resolve("errors.tsv"))).hasSize(4)
                .allSatisfy(line -> assertThat(line).contains("3.0E9 can't be stored as int32"));
        assertThat(Numpy.run("import numpy as np, sys; print(np.load(sys.argv[1] + '/label_para_0.npy').tolist())", out.toString()))
                .isEqualTo("[0, 0, 0, 0]");
    }

    @Test
    void valuesTheDtypeHoldsStayExact() {
        Path out = dir.resolve("ok");
        Cli.Result r = Cli.run("--task", "trivial", "--args", "inf,2147483647,-2147483648,0", "--outputs", "a,b,c",
                "--batches", "1", "--batch-size", "1", "--out", out.toString(), "-q");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Cli.Result ints = Cli.run("--task", "trivial", "--args", "2147483647.9,2147483647,-2147483648,0", "--dtype", "int32",
                "--batches", "1", "--batch-size", "1", "--out", dir.resolve("ints").toString(), "-q");
        assertThat(ints.exitCode()).as(ints.toString()).isZero();
        assertThat(Numpy.run("import numpy as np, sys\n"
                + "print(np.load(sys.argv[1] + '/a_para_0.npy').tolist(), "
                + "[np.load(sys.argv[2] + '/%s_para_0.npy' % n).tolist() for n in ('label', 'feature', 'maybeother')])",
                out.toString(), dir.resolve("ints").toString()))
                .isEqualTo("[inf] [[2147483647], [2147483647], [-2147483648]]");
    }
}
