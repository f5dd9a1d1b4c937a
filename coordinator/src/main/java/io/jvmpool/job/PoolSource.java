package io.jvmpool.job;

import io.jvmpool.pool.Pool;
import io.jvmpool.pool.PoolOptions;
import java.io.IOException;

/**
 * Where a job's pool comes from and where it goes after the job: a pool started for the job and
 * closed after it ({@link #FRESH}, what a plain run does), or a warm pool that runs job after job on
 * the same worker JVMs.
 */
public interface PoolSource {
    /** The pool for a job with these options: started, or a kept one set up for this job's task. */
    Pool take(PoolOptions options) throws IOException;

    /** The job is over; {@code clean} when it ended as it should (not failed, not interrupted). */
    void done(Pool pool, boolean clean);

    /** Ctrl-C or SIGTERM: the job's workers stop at once. */
    void stopNow(Pool pool);

    /** Whether the last {@link #take} gave a pool whose workers were up before (a warm pool's). */
    default boolean reused() {
        return false;
    }

    /** Whether the job owns this JVM: a signal to it ends the job, and the JVM with it (a shutdown hook). */
    boolean ownsJvm();

    /** A pool per job, closed when the job ends; on a signal the workers are killed and the JVM exits. */
    PoolSource FRESH = new PoolSource() {
        @Override
        public Pool take(PoolOptions options) throws IOException {
            return Pool.start(options);
        }

        @Override
        public void done(Pool pool, boolean clean) {
            pool.close();
        }

        @Override
        public void stopNow(Pool pool) {
            pool.killWorkers();
        }

        @Override
        public boolean ownsJvm() {
            return true;
        }
    };
}
