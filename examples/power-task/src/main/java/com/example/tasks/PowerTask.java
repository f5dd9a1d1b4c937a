package com.example.tasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;
import java.util.Map;

public class PowerTask implements Task {
    private int power;

    // Once per worker JVM before its first task, with the -P properties (Python's initializer).
    @Override
    public void setup(Map<String, String> properties) {
        power = Integer.parseInt(properties.getOrDefault("power", "2"));
    }

    // Once per task. index: the task's global index; args: its arguments; out: where its outputs go.
    @Override
    public void compute(long index, Args args, Outputs out) {
        double x = args.getDouble(0) + index;
        out.set(0, Math.pow(x, power));                        // output 0: a scalar
        out.set(1, new float[] {(float) x, (float) -x});       // output 1: an array of shape (2,)
    }
}
