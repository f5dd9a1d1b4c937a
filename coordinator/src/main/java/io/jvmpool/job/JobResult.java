package io.jvmpool.job;

import io.jvmpool.pool.PoolSnapshot;
import java.nio.file.Path;

/**
 * A job that finished: every batch is in {@code out}.
 *
 * @param tasksComputed tasks run by this run (a resumed job skips those already written)
 * @param batches       batches of the job, written now or before
 * @param wallSeconds   from the start of the run to the last file written
 * @param pool          the workers and totals at the end
 * @param report        the run report, {@code run.json}
 */
public record JobResult(long tasksComputed, int batches, double wallSeconds, PoolSnapshot pool, Path out, Path report) {
}
