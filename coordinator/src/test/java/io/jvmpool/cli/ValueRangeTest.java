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

    /** The values each dtype is tried with: its edges, fractions, and for floats the special values. */
    private static final java.util.LinkedHashMap<String, String> EDGES = new java.util.LinkedHashMap<>();

    static {
        EDGES.put("bool", "0;-0.0;1;-2.5;NaN;Infinity;1e-300");
        EDGES.put("int8", "-128;127;-128.9;127.9;-0.5;3.7");
        EDGES.put("uint8", "0;255;255.9;-0.9;128");
        EDGES.put("int16", "-32768;32767;-32768.5;1.5");
        EDGES.put("uint16", "0;65535;65535.99;-0.5");
        EDGES.put("int32", "-2147483648;2147483647;2147483647.9;-2147483648.9");
        EDGES.put("uint32", "0;4294967295;4294967295.5;-0.7");
        EDGES.put("int64", "-9.223372036854775808e18;9.2233720368547748e18;1.5");
        EDGES.put("uint64", "0;1.844674407370955e19;9.3e18;2.5;-0.5");
        EDGES.put("float16", "65504;65519.9;-65519.9;6e-8;1e-8;2.98023223876953125e-8;NaN;-Infinity;0.1;-0.0");
        EDGES.put("float32", "3.4028235e38;1e-46;7e-46;NaN;0.1");
        EDGES.put("float64", "1e308;4.9e-324;NaN;-0.0;0.1");
    }

    @Test
    void everyDtypeHoldsItsEdgesAsNumpySavesThem() {
        Path out = dir.resolve("edges");
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("--task", "io.jvmpool.testtasks.ValuesTask",
                "--outputs", String.join(",", EDGES.keySet().stream().map(t -> t + ":" + t).toList()),
                "--batches", "1", "--batch-size", "1", "--workers", "1", "-q", "--out", out.toString()));
        int k = 0;
        for (String values : EDGES.values()) {
            argv.addAll(java.util.List.of("-P", "v" + k++ + "=" + values));
        }
        Cli.Result r = Cli.run(argv.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Numpy.run(SAME_AS_NUMPY, out.toString(), new com.google.gson.Gson().toJson(EDGES))).isEqualTo("ok");
    }

    @Test
    void wholeNumbersBytesShortsFloatsAndBooleansAreConvertedAsNumpyConvertsThem() {
        // output name, the Java type it is set as, its dtype, the values
        String[][] cases = {
            {"a", "long", "int64", "-9223372036854775808;9223372036854775807"},
            {"b", "long", "uint64", "0;9223372036854775807"},
            {"c", "long", "float32", "16777217;-9223372036854775807;33554435"},
            {"d", "long", "float16", "2049;-65504;4097"},
            {"e", "long", "int8", "-128;127"},
            {"f", "long", "uint32", "0;4294967295"},
            {"g", "long", "bool", "0;5;-1"},
            {"h", "byte", "uint8", "200;255;0;127"},
            {"i", "byte", "int16", "-128;127;0"},
            {"j", "short", "uint16", "65535;40000;1"},
            {"k", "short", "float32", "-32768;32767"},
            {"l", "float", "float16", "65504;1e-7;NaN;1e-8"},
            {"m", "float", "float64", "0.1;-1e-45"},
            {"n", "boolean", "bool", "0;1;2"},
            {"o", "boolean", "uint8", "1;0"}};
        Path out = dir.resolve("kinds");
        java.util.List<String> argv = new java.util.ArrayList<>(java.util.List.of("--task", "io.jvmpool.testtasks.ValuesTask",
                "--batches", "1", "--batch-size", "1", "--workers", "1", "-q", "--out", out.toString()));
        java.util.List<String> outputs = new java.util.ArrayList<>();
        com.google.gson.JsonObject expected = new com.google.gson.JsonObject();
        for (int k = 0; k < cases.length; k++) {
            String[] c = cases[k];
            outputs.add(c[0] + ":" + c[2]);
            argv.addAll(java.util.List.of("-P", "kind" + k + "=" + c[1], "-P", "v" + k + "=" + c[3]));
            String source = switch (c[1]) {
                case "long" -> "int64";
                case "byte" -> c[2].equals("uint8") ? "uint8_bits" : "int8";
                case "short" -> c[2].equals("uint16") ? "uint16_bits" : "int16";
                case "float" -> "float32";
                case "boolean" -> "bool";
                default -> "float64";
            };
            com.google.gson.JsonArray spec = new com.google.gson.JsonArray();
            spec.add(c[3]);
            spec.add(source);
            spec.add(c[2]);
            expected.add(c[0], spec);
        }
        argv.addAll(java.util.List.of("--outputs", String.join(",", outputs)));
        Cli.Result r = Cli.run(argv.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Numpy.run(SAME_AS_NUMPY, out.toString(), expected.toString())).isEqualTo("ok");
    }

    /**
     * argv: the folder, and {output: values, or [values, their Java type as numpy names it, dtype]} (JSON);
     * values alone are doubles, and the output is named by its dtype.
     */
    private static final String SAME_AS_NUMPY = """
            import sys, os, json, numpy as np, warnings
            warnings.simplefilter('ignore')
            out, cases = sys.argv[1], json.loads(sys.argv[2])
            for name, spec in cases.items():
                text, source, dtype = spec if isinstance(spec, list) else (spec, 'float64', name)
                values = text.split(';')
                if source == 'float64':
                    a = np.array([float(v) for v in values], dtype=np.float64)
                elif source == 'float32':
                    a = np.array([float(v) for v in values], dtype=np.float32)
                elif source == 'bool':
                    a = np.array([float(v) != 0 for v in values])
                elif source.endswith('_bits'):
                    a = np.array([int(v) % 256 if source == 'uint8_bits' else int(v) % 65536 for v in values], dtype=source[:-5])
                else:
                    a = np.array([int(v) for v in values], dtype=source)
                want = np.stack([a.astype(dtype)])
                np.save(os.path.join(out, 'numpy.npy'), want)
                mine = open(os.path.join(out, name + '_para_0.npy'), 'rb').read()
                theirs = open(os.path.join(out, 'numpy.npy'), 'rb').read()
                assert mine == theirs, (name, np.load(os.path.join(out, name + '_para_0.npy')), want)
            print('ok')
            """;
}
