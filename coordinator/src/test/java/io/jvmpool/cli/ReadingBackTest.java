package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Numpy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** python/jvmpool_data.py reads a whole output back, batch after batch in batch order (10 after 9, not after 1), mapped or not. */
class ReadingBackTest {
    private static final Path PYTHON = Path.of(System.getProperty("jvmpool.root", "..")).toAbsolutePath().normalize().resolve("python");

    @TempDir
    Path dir;

    @Test
    void everyBatchInBatchOrder() {
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("--task", "io.jvmpool.testtasks.PidTask", "--args", "", "--batches", "12", "--batch-size", "3",
                "--workers", "2", "-q", "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Numpy.run("""
                import sys, numpy as np
                sys.path.insert(0, sys.argv[2])
                import jvmpool_data
                index = jvmpool_data.load(sys.argv[1], 'index')
                mapped = jvmpool_data.load(sys.argv[1], 'index', mmap_mode='r')
                numbers = [b for b, _ in jvmpool_data.batch_files(sys.argv[1], 'index')]
                lazy = [a for _, a in jvmpool_data.batches(sys.argv[1], 'index', mmap_mode='r')]
                print(index.dtype, (index == np.arange(36)).all(), (mapped == index).all(), numbers[:3], numbers[-3:],
                      type(lazy[0]).__name__)
                """, out.toString(), PYTHON.toString())).isEqualTo("int64 True True [0, 1, 2] [9, 10, 11] memmap");
    }
}
