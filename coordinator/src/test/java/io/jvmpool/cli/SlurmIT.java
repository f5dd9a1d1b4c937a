package io.jvmpool.cli;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Argv;
import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Folders;
import io.jvmpool.testing.SlurmCluster;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker/slurm/jvmpool.sbatch on a real one-node Slurm cluster: sbatch, srun workers, scancel of the worker step, srun again. */
class SlurmIT {
    private static final Path ROOT = Path.of(System.getProperty("jvmpool.root")).toAbsolutePath().normalize();
    private static final Path JAR = Path.of(System.getProperty("jvmpool.jar")).toAbsolutePath();
    private static final String[] JOB = {"--task", "burn", "--args", "300", "--batches", "4", "--batch-size", "10", "-q"};

    @TempDir
    Path dir;

    @Test
    void aJobRunsOnTheAllocationAndNewWorkersFinishItAfterScancel() throws Exception {
        Path submit = Files.createDirectories(dir.resolve("submit"));
        try (SlurmCluster slurm = SlurmCluster.start(Files.createDirectories(dir.resolve("slurm")))) {
            // the script's defaults dial this host's name; the test keeps every packet on loopback
            Map<String, String> env = Map.of("JVMPOOL_JAR", JAR.toString(), "JVMPOOL_HOST", "127.0.0.1",
                    "JVMPOOL_LISTEN_HOST", "127.0.0.1");
            String job = submit(slurm, env, submit, Argv.with(JOB, "--out", "out"));
            Path out = submit.resolve("out");
            Path log = submit.resolve("jvmpool-" + job + ".out");
            awaitFile(out.resolve("label_para_0.npy"), 180, log);

            slurm.client("scancel", job + ".0"); // the worker step
            awaitStepGone(slurm, job + ".0");
            assertThat(slurm.client("squeue", "-h", "-j", job, "-o", "%T").strip()).as("the coordinator waits for workers")
                    .isEqualTo("RUNNING");
            Matcher add = Pattern.compile("(srun --jobid=\\S+) -n N (.*)").matcher(Files.readString(log));
            assertThat(add.find()).as(Files.readString(log)).isTrue();
            Process again = slurm.clientProcess(dir.resolve("srun.txt"), Map.of(), "bash", "-c", add.group(1) + " -n 2 " + add.group(2));
            awaitGone(slurm, job);
            again.waitFor(60, TimeUnit.SECONDS);

            String said = Files.readString(log);
            assertThat(said).contains("40 tasks in 4 batches done").contains("remote");
            assertThat(said.lines().filter(l -> l.contains(" dial ")).findFirst().orElse(""))
                    .as("the first line that gives an address names the one workers dial").matches("jvmpool: 2 workers dial 127\\.0\\.0\\.1:\\d+; .*");
            assertThat(said).as("no line names the listen address instead").doesNotContain("dial 0.0.0.0");
            String afterSummary = said.substring(said.indexOf("40 tasks in 4 batches done"));
            assertThat(afterSummary).as("the log ends with the summary, no srun errors for steps jvmpool ended itself")
                    .doesNotContain("srun: error").doesNotContain("CANCELLED").doesNotContain("Killed");
            assertThat(submit.resolve(".jvmpool-slurm-" + job)).as("the job's token is removed").doesNotExist();
            Cli.Result local = Cli.run(Argv.with(JOB, "--out", dir.resolve("local").toString()));
            assertThat(local.exitCode()).as(local.toString()).isZero();
            Folders.assertSameNpyFiles(out, dir.resolve("local"));
        }
    }

    private String submit(SlurmCluster slurm, Map<String, String> env, Path submit, String... job) throws Exception {
        String[] command = Argv.with(new String[] {"sbatch", "--parsable", "-n", "2",
            ROOT.resolve("docker/slurm/jvmpool.sbatch").toString()}, job);
        Path said = dir.resolve("submit.txt");
        Process p = slurm.clientProcess(submit, said, env, command); // from the submit folder, as a user does
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(said)).isZero();
        return Files.readString(said).strip();
    }

    private static void awaitGone(SlurmCluster slurm, String job) throws Exception {
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500))
                .until(() -> !slurm.query("squeue", "-h", "-j", job, "-o", "%T").matches("(?s).*(RUNNING|PENDING|COMPLETING|CONFIGURING).*"));
        assertThat(slurm.query("squeue", "-h", "-j", job, "-o", "%T")).as("job " + job + " ended").doesNotContain("RUNNING")
                .doesNotContain("PENDING").doesNotContain("COMPLETING");
    }

    private static void awaitStepGone(SlurmCluster slurm, String step) throws Exception {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> !slurm.client("squeue", "-h", "-s", "-o", "%i").contains(step));
        assertThat(slurm.client("squeue", "-h", "-s", "-o", "%i")).doesNotContain(step);
    }

    private static void awaitFile(Path file, int seconds, Path log) throws Exception {
        await().atMost(Duration.ofSeconds(seconds)).untilAsserted(() -> assertThat(file).as(() -> "the job's log:\n" + read(log)).exists());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(" + e + ")";
        }
    }
}
