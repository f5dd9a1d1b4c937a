package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Numpy;
import io.jvmpool.testing.TaskJars;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task that lives only in a user's jar, given with --task-jar. */
class UserTaskJarTest {
    static final String SOURCE = """
            package com.example.tasks;

            import io.jvmpool.api.Args;
            import io.jvmpool.api.Outputs;
            import io.jvmpool.api.Task;
            import java.util.Map;

            public class PowerTask implements Task {
                private int power;

                @Override
                public void setup(Map<String, String> properties) {
                    power = Integer.parseInt(properties.getOrDefault("power", "2"));
                }

                @Override
                public void compute(long index, Args args, Outputs out) {
                    double x = args.getDouble(0) + index;
                    out.set(0, Math.pow(x, power));
                    out.set(1, new float[] {(float) x, (float) -x});
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void runsATaskClassFromTheUsersJar() throws Exception {
        Path jar = TaskJars.build(dir, "power", "com.example.tasks.PowerTask", SOURCE);
        assertThatThrownBy(() -> Class.forName("com.example.tasks.PowerTask")).isInstanceOf(ClassNotFoundException.class);
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("--task-jar", jar.toString(), "--task", "com.example.tasks.PowerTask", "-P", "power=3",
                "--args", "1.5", "--outputs", "cube,pair", "--batches", "2", "--batch-size", "5", "--workers", "2",
                "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String check = Numpy.run("""
                import sys, os, numpy as np
                out = sys.argv[1]
                for b in range(2):
                    cube = np.load(os.path.join(out, 'cube_para_%d.npy' % b))
                    pair = np.load(os.path.join(out, 'pair_para_%d.npy' % b))
                    assert cube.shape == (5,) and pair.shape == (5, 2)
                    for i in range(5):
                        x = 1.5 + b * 5 + i
                        assert cube[i] == np.float32(x ** 3), (cube[i], x)
                        assert pair[i].tolist() == [x, -x]
                print('ok')
                """, out.toString());
        assertThat(check).isEqualTo("ok");
    }
}
