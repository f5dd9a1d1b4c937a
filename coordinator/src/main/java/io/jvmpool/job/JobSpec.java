package io.jvmpool.job;

import com.google.gson.JsonObject;
import io.jvmpool.args.ArgTable;
import io.jvmpool.output.BatchPlan;
import io.jvmpool.rows.DType;
import io.jvmpool.pool.PoolOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * A job for {@link JobRunner}: the pool to run it on, one task per row of {@code args}, cut into
 * the batches of {@code plan}, each batch written as one {@code .npy} file per output in {@code out}.
 *
 * @param description     what identifies the job in the manifest, so that resuming finishes the same job
 * @param report          the job as run.json records it
 * @param skipFailedTasks a task that throws is logged to errors.tsv and its row left NaN (0 for
 *                        integers), instead of failing the job
 * @param resume          keep the batches already in {@code out} whose files are whole; compute the rest
 * @param overwrite       replace the results already in {@code out}
 * @param minWorkers      workers to wait for before the first task is handed out
 * @param generatedToken  a token made up for this run, to show the user; null when none was made
 * @param addressFile     where to write the address workers dial, once listening; null for nowhere
 * @param names           how error messages name the options
 */
public record JobSpec(PoolOptions pool, ArgTable args, BatchPlan plan, List<String> outputs, DType dtype, Path out,
                      JsonObject description, JsonObject report, boolean skipFailedTasks, boolean resume, boolean overwrite,
                      int minWorkers, String generatedToken, Path addressFile, OptionNames names) {

    /**
     * A job as a program writes one: {@code pool}'s task on {@code args}, in batches of
     * {@code batchSize} tasks, into {@code out}; identified for resuming by its task, properties,
     * outputs, dtype, batches and a hash of its arguments.
     */
    public static JobSpec of(PoolOptions pool, ArgTable args, int batchSize, List<String> outputs, Path out) {
        JobChecks.outputs(outputs, "outputs");
        BatchPlan plan = new BatchPlan(args.rows(), batchSize);
        pool.outputs(outputs.size());
        if (pool.argNames().isEmpty()) {
            pool.argNames(args.names());
        }
        JobChecks.limits(plan, pool.dtypes(), outputs, "batchSize", "outputs");
        JsonObject description = new JsonObject();
        description.addProperty("task", pool.task());
        description.addProperty("args_sha256", args.sha256());
        description.addProperty("tasks", plan.tasks());
        description.addProperty("batch_size", plan.batchSize());
        description.add("outputs", new com.google.gson.Gson().toJsonTree(outputs));
        description.addProperty("dtype", pool.dtype().numpyName());
        if (pool.dtypes().stream().anyMatch(t -> t != pool.dtype())) {
            description.add("output_dtypes", new com.google.gson.Gson().toJsonTree(pool.dtypes().stream().map(DType::numpyName).toList()));
        }
        description.add("properties", new com.google.gson.Gson().toJsonTree(new java.util.TreeMap<>(pool.properties())));
        return new JobSpec(pool, args, plan, List.copyOf(outputs), pool.dtype(), out, description,
                description.deepCopy(), false, false, false, 0, null, null, OptionNames.JAVA);
    }

    /** This job, resuming: the verified batches already in {@code out} are kept. */
    public JobSpec resuming() {
        return new JobSpec(pool, args, plan, outputs, dtype, out, description, report, skipFailedTasks, true, false, minWorkers,
                generatedToken, addressFile, names);
    }

    /** This job, replacing the results already in {@code out}. */
    public JobSpec overwriting() {
        return new JobSpec(pool, args, plan, outputs, dtype, out, description, report, skipFailedTasks, false, true, minWorkers,
                generatedToken, addressFile, names);
    }

    /** This job, going on when a task throws: it is logged to errors.tsv and its row is left NaN (0 for integers). */
    public JobSpec skippingFailedTasks() {
        return new JobSpec(pool, args, plan, outputs, dtype, out, description, report, true, resume, overwrite, minWorkers,
                generatedToken, addressFile, names);
    }
}
