package io.jvmpool.tasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;
import java.util.Arrays;

/**
 * Returns one float32 array of {@code arg0} MiB filled with the task's index, as the benchmark of
 * result bandwidth does in Python ({@code np.full(n, float(i), dtype="float32")}).
 */
public final class ArrayTask implements Task {
    private float[] values = new float[0];

    @Override
    public void compute(long index, Args args, Outputs out) {
        if (args.size() < 1) {
            throw new IllegalArgumentException("the array task takes the array's size in MiB as its first argument");
        }
        int n = (int) (args.getDouble(0) * 1024 * 1024 / 4);
        if (values.length != n) {
            values = new float[n];
        }
        Arrays.fill(values, index);
        out.set(0, values);
    }
}
