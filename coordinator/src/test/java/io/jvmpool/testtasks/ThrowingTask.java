package io.jvmpool.testtasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;

/** Throws for every task whose index is 3 mod 7; the others return (index, arg0). */
public final class ThrowingTask implements Task {
    @Override
    public void compute(long index, Args args, Outputs out) {
        if (index % 7 == 3) {
            throw new IllegalStateException("bad index " + index);
        }
        out.set(0, index);
        out.set(1, args.getDouble(0));
    }
}
