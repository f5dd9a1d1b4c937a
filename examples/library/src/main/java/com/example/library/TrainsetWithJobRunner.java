package com.example.library;

import io.jvmpool.args.ArgTable;
import io.jvmpool.job.JobListener;
import io.jvmpool.job.JobResult;
import io.jvmpool.job.JobRunner;
import io.jvmpool.job.JobSpec;
import io.jvmpool.pool.PoolOptions;
import java.nio.file.Path;
import java.util.List;

/** What `java -jar jvmpool.jar` does, from Java: the seed job's .npy batches, manifest, run.json; run it again to resume. */
public class TrainsetWithJobRunner {
    public static void main(String[] args) throws Exception {
        JobSpec job = JobSpec.of(new PoolOptions().task("seed").workers(2), ArgTable.constant(List.of(1, 2, 3, 4), 20), 10,
                List.of("label", "feature", "maybeother"), Path.of("trainset")).resuming();
        JobResult done = new JobRunner(job, new JobListener() {
            @Override
            public void batchWritten(int batch, List<Path> files) {
                files.forEach(System.out::println);
            }

            @Override
            public void notice(String message) {
                System.err.println(message);
            }
        }).run();
        System.out.println(done.tasksComputed() + " tasks computed; the batches are in " + done.out());
    }
}
