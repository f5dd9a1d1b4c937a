package io.jvmpool.testtasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Output;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;
import java.util.List;

/** Says which worker process ran each task: its pid, and the task's index. */
public class PidTask implements Task {
    @Override
    public List<Output> outputs() {
        return List.of(Output.scalar("pid", "int64"), Output.scalar("index", "int64"));
    }

    @Override
    public void compute(long index, Args args, Outputs out) {
        out.set(0, ProcessHandle.current().pid());
        out.set(1, index);
    }
}
