package io.jvmpool.testtasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;

/** Three outputs of different shapes: a scalar, a (3,) vector and a (2, 2) matrix, all from the index. */
public final class ShapesTask implements Task {
    @Override
    public void compute(long index, Args args, Outputs out) {
        out.set(0, (double) index);
        out.set(1, new double[] {index, index + 0.5, -index});
        out.set(2, new int[] {(int) index, 1, 2, 3}, 2, 2);
    }
}
