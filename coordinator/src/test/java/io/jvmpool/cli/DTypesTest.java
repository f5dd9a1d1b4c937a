package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Folders;
import io.jvmpool.testing.Numpy;
import io.jvmpool.testing.TaskJars;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training set as users write one: a task built against jvmpool-api alone declares its outputs,
 * each of its own dtype, and numpy loads exactly those dtypes and values.
 */
class DTypesTest {
    static final String IMAGES = """
            package org.me;

            import io.jvmpool.api.Args;
            import io.jvmpool.api.Output;
            import io.jvmpool.api.Outputs;
            import io.jvmpool.api.Task;
            import java.util.List;

            public class Images implements Task {
                @Override
                public List<Output> outputs() {
                    return List.of(Output.scalar("label", "int64"), Output.of("image", "uint8", 64, 64, 3),
                            Output.of("mask", "bool", 64, 64), Output.of("half", "float16", 4));
                }

                @Override
                public void compute(long index, Args args, Outputs out) {
                    out.set(0, index * 1_000_000_000_000L);
                    byte[] image = new byte[64 * 64 * 3];
                    for (int i = 0; i < image.length; i++) {
                        image[i] = (byte) ((index + i) % 256); // 128..255 as (byte) -128..-1: raw bits
                    }
                    out.set(1, image, 64, 64, 3);
                    boolean[] mask = new boolean[64 * 64];
                    for (int i = 0; i < mask.length; i++) {
                        mask[i] = (i + index) % 3 == 0;
                    }
                    out.set(2, mask, 64, 64);
                    out.set(3, new double[] {index + 0.5, 65504, -1e-7, 1 / 3.0});
                }
            }
            """;

    @TempDir
    Path dir;
    private Path jar;

    @BeforeEach
    void build() throws Exception {
        jar = TaskJars.buildAgainstApi(dir, "images", "org.me.Images", IMAGES);
    }

    @Test
    void aTaskThatDeclaresItsOutputsWritesEachInItsDtype() throws Exception {
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("--task-jar", jar.toString(), "--task", "org.me.Images", "--args", "", "--batches", "2",
                "--batch-size", "5", "--workers", "2", "-q", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Folders.npyFiles(out)).hasSize(8);
        String check = Numpy.run("""
                import sys, os, numpy as np
                out = sys.argv[1]
                for b in range(2):
                    idx = np.arange(b * 5, b * 5 + 5)
                    label = np.load(os.path.join(out, 'label_para_%d.npy' % b))
                    image = np.load(os.path.join(out, 'image_para_%d.npy' % b))
                    mask = np.load(os.path.join(out, 'mask_para_%d.npy' % b))
                    half = np.load(os.path.join(out, 'half_para_%d.npy' % b))
                    assert (label.dtype, label.shape) == (np.int64, (5,)), (label.dtype, label.shape)
                    assert (label == idx * 10**12).all()
                    assert (image.dtype, image.shape) == (np.uint8, (5, 64, 64, 3))
                    want = ((idx[:, None] + np.arange(64 * 64 * 3)) % 256).astype(np.uint8).reshape(5, 64, 64, 3)
                    assert (image == want).all()
                    assert (mask.dtype, mask.shape) == (np.bool_, (5, 64, 64))
                    assert (mask == ((np.arange(64 * 64)[None, :] + idx[:, None]) % 3 == 0).reshape(5, 64, 64)).all()
                    assert (half.dtype, half.shape) == (np.float16, (5, 4))
                    want = np.array([[i + 0.5, 65504, -1e-7, 1 / 3.0] for i in idx]).astype(np.float16)
                    assert half.tobytes() == want.tobytes(), (half, want)
                    for name, a in [('label', label), ('image', image), ('mask', mask), ('half', half)]:
                        mine = open(os.path.join(out, '%s_para_%d.npy' % (name, b)), 'rb').read()
                        np.save(os.path.join(out, 'again.npy'), a)
                        assert mine == open(os.path.join(out, 'again.npy'), 'rb').read(), name
                print('ok')
                """, out.toString());
        assertThat(check).isEqualTo("ok");
        JsonObject manifest = JsonParser.parseString(Files.readString(out.resolve("jvmpool-manifest.json"))).getAsJsonObject();
        assertThat(manifest.getAsJsonObject("outputs").getAsJsonObject("image").toString()).isEqualTo("{\"dtype\":\"uint8\",\"shape\":[64,64,3]}");
        JsonObject run = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        assertThat(run.getAsJsonArray("outputs").toString()).contains("{\"name\":\"half\",\"dtype\":\"float16\",\"shape\":[4]}")
                .contains("{\"name\":\"label\",\"dtype\":\"int64\",\"shape\":[]}");
    }

    @Test
    void outputsGivenAsWellMustAgreeWithTheDeclaredOnesBeforeAnyWorkerStarts() {
        String[] job = {"--task-jar", jar.toString(), "--task", "org.me.Images", "--args", "", "--batches", "1", "--batch-size", "2", "-q"};
        Cli.Result same = Cli.run(io.jvmpool.testing.Argv.with(job, "--outputs", "label:int64,image,mask:bool,half",
                "--out", dir.resolve("same").toString()));
        assertThat(same.exitCode()).as(same.toString()).isZero();

        Cli.Result names = Cli.run(io.jvmpool.testing.Argv.with(job, "--outputs", "label,image", "--out", dir.resolve("names").toString()));
        assertThat(names.exitCode()).isEqualTo(2);
        assertThat(names.err()).contains("--outputs label,image disagrees with the outputs task org.me.Images declares "
                + "(label:int64[],image:uint8[64, 64, 3],mask:bool[64, 64],half:float16[4])").doesNotContain("worker");
        assertThat(dir.resolve("names")).doesNotExist();

        Cli.Result dtype = Cli.run(io.jvmpool.testing.Argv.with(job, "--outputs", "label:int32,image,mask,half",
                "--out", dir.resolve("dtype").toString()));
        assertThat(dtype.exitCode()).isEqualTo(2);
        assertThat(dtype.err()).contains("--outputs gives output 'label' the dtype int32 but task org.me.Images declares int64");
    }

    @Test
    void aValueThatBreaksTheDeclaredShapeStopsTheJob() throws Exception {
        Path jar2 = TaskJars.buildAgainstApi(dir, "bad", "org.me.Images",
                IMAGES.replace("Output.of(\"half\", \"float16\", 4)", "Output.of(\"half\", \"float16\", 3)"));
        Cli.Result r = Cli.run("--task-jar", jar2.toString(), "--task", "org.me.Images", "--args", "", "--batches", "1",
                "--batch-size", "2", "--workers", "1", "-q", "--out", dir.resolve("bad").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("output #3 ('half') has shape [4] but the task declares [3]");
    }
}
