package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Numpy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arguments that are text: a column of an args file, a quoted value of --args; read as text, refused as numbers. */
class TextArgsTest {
    private static final String TASK = "io.jvmpool.testtasks.TextTask";
    private static final String OUTPUTS = "name:uint8,length:int64,x:float64";

    @TempDir
    Path dir;

    @Test
    void aCsvWithATextColumnRunsATaskThatReadsIt() throws Exception {
        Path csv = dir.resolve("models.csv");
        Files.writeString(csv, "model,x\nresnet,1.5\nvit,2\n\"conv, next\",3\nnaïve,4\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("--task", TASK, "--args-file", csv.toString(), "--outputs", OUTPUTS, "--batch-size", "2",
                "--workers", "2", "-q", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Numpy.run("""
                import sys, os, numpy as np
                out = sys.argv[1]
                names = np.concatenate([np.load(os.path.join(out, 'name_para_%d.npy' % b)) for b in range(2)])
                lengths = np.concatenate([np.load(os.path.join(out, 'length_para_%d.npy' % b)) for b in range(2)])
                texts = [bytes(n[:l]).decode('utf-8') for n, l in zip(names, lengths)]
                print(texts, np.concatenate([np.load(os.path.join(out, 'x_para_%d.npy' % b)) for b in range(2)]).tolist())
                """, out.toString())).isEqualTo("['resnet', 'vit', 'conv, next', 'naïve'] [1.5, 2.0, 3.0, 4.0]");

        Cli.Result again = Cli.run("--task", TASK, "--args-file", csv.toString(), "--outputs", OUTPUTS, "--batch-size", "2",
                "--workers", "2", "-q", "--resume", "--out", out.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.err()).contains("nothing to do");
        Files.writeString(csv, "model,x\nresnet,1.5\nvit,2\nconvnext,3\nnaïve,4\n", StandardCharsets.UTF_8);
        Cli.Result changed = Cli.run("--task", TASK, "--args-file", csv.toString(), "--outputs", OUTPUTS, "--batch-size", "2",
                "-q", "--resume", "--out", out.toString());
        assertThat(changed.exitCode()).as("a changed text is another job").isEqualTo(2);
        assertThat(changed.err()).contains("holds the results of a different job (args_file_sha256 was");
    }

    @Test
    void quotedTextInArgsIsTextAsPythonWritesIt() throws Exception {
        Path out = dir.resolve("args");
        Cli.Result r = Cli.run("--task", TASK, "--args", "'it\\'s, ok',2.5", "--outputs", OUTPUTS, "--batches", "1",
                "--batch-size", "1", "--workers", "1", "-q", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Numpy.run("""
                import sys, numpy as np
                n = np.load(sys.argv[1] + '/name_para_0.npy')[0]; l = np.load(sys.argv[1] + '/length_para_0.npy')[0]
                print(bytes(n[:l]).decode('utf-8'))
                """, out.toString())).isEqualTo("it's, ok");
        assertThat(Files.readString(out.resolve("jvmpool-manifest.json"))).contains("\"'it\\\\'s, ok'\"");

        Cli.Result unquoted = Cli.run("--task", TASK, "--args", "resnet,1", "--outputs", OUTPUTS, "-q", "--out", dir.resolve("u").toString());
        assertThat(unquoted.exitCode()).isEqualTo(2);
        assertThat(unquoted.err()).contains("--args value 1: not a number: 'resnet'").contains("text goes in quotes: 'resnet'");
        Cli.Result open = Cli.run("--task", TASK, "--args", "'resnet,1", "--outputs", OUTPUTS, "-q", "--out", dir.resolve("o").toString());
        assertThat(open.exitCode()).isEqualTo(2);
        assertThat(open.err()).contains("--args value 1: text that never ends");
    }

    @Test
    void readingTextAsANumberFailsTheTaskWithTheColumnsName() throws Exception {
        Path csv = Files.writeString(dir.resolve("swapped.csv"), "x,model\n1.5,resnet\n");
        Cli.Result r = Cli.run("--task", TASK, "--args-file", csv.toString(), "--outputs", OUTPUTS, "--workers", "1", "-q",
                "--out", dir.resolve("swapped").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("task 0 (1.5, 'resnet') failed").contains("argument 0 should be text");
        Path csv2 = Files.writeString(dir.resolve("text.csv"), "name,model\na,resnet\n");
        Cli.Result r2 = Cli.run("--task", TASK, "--args-file", csv2.toString(), "--outputs", OUTPUTS, "--workers", "1", "-q",
                "--out", dir.resolve("text").toString());
        assertThat(r2.exitCode()).as(r2.toString()).isEqualTo(1);
        assertThat(r2.err()).contains("argument 1 ('model') is text, not a number: 'resnet'; read it with getString");
    }
}
