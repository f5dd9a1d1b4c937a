package io.jvmpool.api;

import java.util.List;
import java.util.Map;

/**
 * One kind of computation that jvmpool runs in its worker JVMs.
 *
 * <p>A worker creates one instance with the public no-argument constructor, calls {@link #setup}
 * once (Python's {@code initializer}), then calls {@link #compute} for each task it is handed, one
 * at a time, on one thread. Every task of a job sets the same number of outputs (those it declares
 * with {@link #outputs()}, or the names given with {@code --outputs}), and each output has the same
 * shape in every task.
 */
public interface Task {

    /**
     * The outputs this task produces, in the order it sets them: names, dtypes, optionally shapes.
     * Declared here, {@code --outputs} can be left out; when both are given they must agree (checked
     * before any worker starts). Called on a fresh instance, before {@link #setup}, in the
     * coordinator as well as in the workers: keep it a plain list. The default declares nothing.
     */
    default List<Output> outputs() {
        return List.of();
    }

    /**
     * Prepares this worker for its tasks.
     *
     * @param properties the job's {@code -P key=value} properties
     */
    default void setup(Map<String, String> properties) throws Exception {
    }

    /**
     * Computes one task.
     *
     * @param index the task's index in the whole job: task {@code i} of batch {@code b} has index
     *              {@code b * batchSize + i}, and with {@code --args-file} it is the data row's number
     * @param args  the task's arguments
     * @param out   where the task puts each of its outputs, by position
     */
    void compute(long index, Args args, Outputs out) throws Exception;
}
