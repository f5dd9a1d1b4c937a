package io.jvmpool.tasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;

/** The seed's trivial function {@code (p1, p2, p3 + p4)}: almost no work, to measure overhead. */
public final class TrivialTask implements Task {

    @Override
    public void compute(long index, Args args, Outputs out) {
        if (args.size() != 4) {
            throw new IllegalArgumentException("the trivial task takes 4 arguments (p1,p2,p3,p4), got " + args.size());
        }
        out.set(0, args.getDouble(0));
        out.set(1, args.getDouble(1));
        out.set(2, args.getDouble(2) + args.getDouble(3));
    }
}
