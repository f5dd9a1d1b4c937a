package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Numpy;
import io.jvmpool.testing.TaskJars;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A task that lives only in a user's jar, given with --task-jar. */
class UserTaskJarTest {
    /** The task users copy: examples/power-task, the same code the README shows. */
    static final Path SOURCE = Path.of(System.getProperty("jvmpool.root", ".."))
            .resolve("examples/power-task/src/main/java/com/example/tasks/PowerTask.java");

    @TempDir
    Path dir;

    @Test
    void runsATaskClassFromTheUsersJar() throws Exception {
        Path jar = TaskJars.build(dir, "power", "com.example.tasks.PowerTask", Files.readString(SOURCE));
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
