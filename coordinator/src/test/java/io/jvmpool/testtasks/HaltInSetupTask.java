package io.jvmpool.testtasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;
import java.util.Map;

/** Crashes every worker JVM while it starts (Runtime.halt in setup), as a broken task jar would. */
public final class HaltInSetupTask implements Task {
    @Override
    public void setup(Map<String, String> properties) {
        Runtime.getRuntime().halt(3);
    }

    @Override
    public void compute(long index, Args args, Outputs out) {
        out.set(0, index);
    }
}
