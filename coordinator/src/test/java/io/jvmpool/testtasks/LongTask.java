package io.jvmpool.testtasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;

/** One output: its first argument as a long, for checks of integer conversions. */
public class LongTask implements Task {
    @Override
    public void compute(long index, Args args, Outputs out) {
        out.set(0, args.getLong(0));
    }
}
