package io.jvmpool.testtasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;

/** A poison task: task {@code arg0} ends its worker JVM with System.exit; every other task returns its index. */
public final class ExitTask implements Task {
    @Override
    public void compute(long index, Args args, Outputs out) {
        if (index == args.getLong(0)) {
            System.exit(7);
        }
        out.set(0, index);
    }
}
