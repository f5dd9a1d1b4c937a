package io.jvmpool.testtasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;
import java.util.SplittableRandom;

/** Sleeps 0-20 ms (random, fixed per index), so results arrive out of order; returns (index, 2*index, arg0). */
public final class ShuffledTask implements Task {
    @Override
    public void compute(long index, Args args, Outputs out) throws InterruptedException {
        Thread.sleep(new SplittableRandom(index).nextInt(21));
        out.set(0, index);
        out.set(1, 2 * index);
        out.set(2, args.getDouble(0));
    }
}
