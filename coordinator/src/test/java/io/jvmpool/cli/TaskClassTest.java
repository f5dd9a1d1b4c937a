package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Cli;
import io.jvmpool.testing.TaskJars;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which task class a job runs: found by its simple name in the task jar, refused up front when it can't be one. */
class TaskClassTest {
    private static final String GRID = """
            package org.me;
            public class Grid implements io.jvmpool.api.Task {
                public void compute(long index, io.jvmpool.api.Args args, io.jvmpool.api.Outputs out) {
                    out.set(0, index);
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aClassGivenByItsSimpleNameIsFoundInTheTaskJar() throws Exception {
        Path jar = TaskJars.buildAgainstApi(dir, "grid", "org.me.Grid", GRID);
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("--task-jar", jar.toString(), "--task", "Grid", "--outputs", "i", "--batches", "1", "--batch-size", "2",
                "--workers", "1", "-q", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Cli.Result missing = Cli.run("--task-jar", jar.toString(), "--task", "Grids", "--outputs", "i", "-q", "--out", out.toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no task named 'Grids'");
    }

    @Test
    void severalClassesOfThatNameAreNamedForTheUserToChoose() throws Exception {
        Path one = TaskJars.buildAgainstApi(dir, "one", "org.me.Grid", GRID);
        Path two = TaskJars.buildAgainstApi(dir, "two", "org.you.Grid", GRID.replace("package org.me;", "package org.you;"));
        Cli.Result r = Cli.run("--task-jar", one.toString(), "--task-jar", two.toString(), "--task", "Grid", "--outputs", "i", "-q",
                "--out", dir.resolve("out").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("the task jars hold several, give the whole name: org.me.Grid, org.you.Grid");
    }

    @Test
    void anAbstractClassOrAnInterfaceIsRefusedBeforeAnyWorkerStarts() throws Exception {
        Path jar = TaskJars.buildAgainstApi(dir, "abstract", "org.me.Base", """
                package org.me;
                public abstract class Base implements io.jvmpool.api.Task {
                }
                """);
        Cli.Result r = Cli.run("--task-jar", jar.toString(), "--task", "org.me.Base", "--outputs", "i", "-q", "--out", dir.resolve("a").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("task class org.me.Base is abstract: give a class that implements it").doesNotContain("worker");
        Path iface = TaskJars.buildAgainstApi(dir, "iface", "org.me.Kind", """
                package org.me;
                public interface Kind extends io.jvmpool.api.Task {
                }
                """);
        Cli.Result i = Cli.run("--task-jar", iface.toString(), "--task", "org.me.Kind", "--outputs", "i", "-q", "--out", dir.resolve("i").toString());
        assertThat(i.exitCode()).isEqualTo(2);
        assertThat(i.err()).contains("task class org.me.Kind is an interface");
    }
}
