package io.jvmpool.testtasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Task {@code arg0} hangs (sleeps for an hour) the first {@code -P hangs=N} times it runs, counted
 * in marker files under {@code -P markers=DIR}; every other run returns the index at once.
 */
public final class HangOnceTask implements Task {
    private Path markers;
    private int hangs;

    @Override
    public void setup(Map<String, String> properties) {
        markers = Path.of(properties.get("markers"));
        hangs = Integer.parseInt(properties.getOrDefault("hangs", "1"));
    }

    @Override
    public void compute(long index, Args args, Outputs out) throws IOException, InterruptedException {
        if (index == args.getLong(0)) {
            for (int i = 0; i < hangs; i++) {
                Path marker = markers.resolve("hung-" + i);
                if (!Files.exists(marker)) {
                    Files.createFile(marker);
                    Thread.sleep(3_600_000);
                }
            }
        }
        out.set(0, index);
    }
}
