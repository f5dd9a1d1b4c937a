package io.jvmpool.cli;

import com.google.gson.JsonObject;
import io.jvmpool.args.ArgTable;
import io.jvmpool.output.BatchPlan;
import io.jvmpool.output.DType;
import io.jvmpool.pool.PoolOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * A job the command line has checked and is ready to run.
 *
 * @param description what identifies the job in the manifest, so that --resume finishes the same job
 * @param report      the job as run.json records it
 * @param minWorkers  workers to wait for before the first task is handed out
 * @param generatedToken a token made up for this run, to show the user; null when none was made
 * @param addressFile where to write the address workers dial, once listening; null for nowhere
 */
record JobSpec(PoolOptions pool, ArgTable args, BatchPlan plan, List<String> outputs, DType dtype, Path out,
               JsonObject description, JsonObject report, boolean skipFailedTasks, boolean resume, boolean overwrite,
               boolean quiet, int minWorkers, String generatedToken, Path addressFile) {
}
