package io.jvmpool.testtasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;

/** Sleeps arg0 milliseconds (waits, as for I/O or a remote service) and returns its index: throughput without CPU contention. */
public class SleepTask implements Task {
    @Override
    public void compute(long index, Args args, Outputs out) {
        try {
            Thread.sleep(args.getLong(0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        out.set(0, index);
    }
}
