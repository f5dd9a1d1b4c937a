package io.jvmpool.testing;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real one-node Slurm cluster from Debian's packages (slurmctld, slurmd, munge), started for a
 * test and stopped after it: its own configuration, state and logs in a temporary folder, every
 * daemon on 127.0.0.1. Needs root (as CI runs); elsewhere the test is skipped, under CI=true it fails.
 */
public final class SlurmCluster implements AutoCloseable {
    private final Path home;
    private final Path conf;
    private final List<Process> daemons = new ArrayList<>();
    private final boolean startedMunge;
    private final boolean madeMungeKey;

    private SlurmCluster(Path home) throws Exception {
        this.home = home;
        this.conf = home.resolve("slurm.conf");
        Files.createDirectories(home.resolve("state"));
        Files.createDirectories(home.resolve("spool"));
        // the README's one-node cluster, docker/slurm/one-node.conf, with its own state, ports and logs
        Map<String, String> own = Map.of(
                "ClusterName", "jvmpooltest",
                "SlurmctldPort", "16817",
                "SlurmdPort", "16818",
                "StateSaveLocation", home.resolve("state").toString(),
                "SlurmdSpoolDir", home.resolve("spool").toString(),
                "SlurmctldPidFile", home.resolve("slurmctld.pid").toString(),
                "SlurmdPidFile", home.resolve("slurmd.pid").toString(),
                "SlurmctldLogFile", home.resolve("slurmctld.log").toString(),
                "SlurmdLogFile", home.resolve("slurmd.log").toString());
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(System.getProperty("jvmpool.root"), "docker/slurm/one-node.conf"))) {
            String key = line.split("=", 2)[0];
            if (!own.containsKey(key)) {
                lines.add(line);
            }
        }
        own.forEach((key, value) -> lines.add(key + "=" + value));
        Files.writeString(conf, String.join("\n", lines) + "\n");
        Files.writeString(home.resolve("cgroup.conf"), "CgroupPlugin=autodetect\n");

        Path key = Path.of("/etc/munge/munge.key");
        madeMungeKey = !Files.exists(key);
        if (madeMungeKey) {
            run(Map.of(), "mungekey", "--create", "--force");
        }
        Files.createDirectories(Path.of("/run/munge"));
        startedMunge = run(Map.of(), "bash", "-c", "pgrep -x munged >/dev/null && echo running || echo no").strip().equals("no");
        if (startedMunge) {
            run(Map.of(), "munged", "--force");
        }
        daemons.add(daemon("slurmctld", "-D", "-c", "-i", "-f", conf.toString()));
        daemons.add(daemon("slurmd", "-D", "-f", conf.toString(), "-N", "localnode"));
        String[] state = {""};
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> (state[0] = tryRun("sinfo", "-h", "-o", "%T").strip()).equals("idle"));
            return;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // said below, with the daemons' logs
        }
        fail("the Slurm node never became idle (sinfo: " + state[0] + "); slurmctld log:\n" + log("slurmctld.log")
                + "\nslurmd log:\n" + log("slurmd.log"));
    }

    /** Starts a cluster, or skips the test where that can't be done. */
    public static SlurmCluster start(Path home) throws Exception {
        Need.SLURM.require();
        return new SlurmCluster(home);
    }

    /** Runs a Slurm client command against this cluster; fails the test when it fails. */
    public String client(String... command) throws IOException, InterruptedException {
        return run(Map.of("SLURM_CONF", conf.toString()), command);
    }

    /** Starts a Slurm client command against this cluster in the background. */
    public Process clientProcess(Path log, Map<String, String> env, String... command) throws IOException {
        return clientProcess(log.getParent(), log, env, command);
    }

    /** The same, run in {@code workDir} (sbatch submits from the folder it runs in). */
    public Process clientProcess(Path workDir, Path log, Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("SLURM_CONF", conf.toString());
        pb.environment().putAll(env);
        return pb.start();
    }

    public Map<String, String> environment() {
        return Map.of("SLURM_CONF", conf.toString());
    }

    /** Runs a Slurm client command against this cluster and returns what it printed, whatever its exit code. */
    public String query(String... command) throws IOException, InterruptedException {
        return tryRun(command);
    }

    private String tryRun(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("SLURM_CONF", conf.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private Process daemon(String... command) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve(command[0] + ".out").toFile()).start();
    }

    private String log(String name) {
        try {
            return Files.readString(home.resolve(name));
        } catch (IOException e) {
            return "(none)";
        }
    }

    private static String run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    /** Cancels every job, stops the daemons it started and removes what it made. */
    @Override
    public void close() throws Exception {
        tryRun("scancel", "--full", "--partition=try");
        for (Process d : daemons) {
            d.destroy();
            if (!d.waitFor(10, TimeUnit.SECONDS)) {
                d.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (startedMunge) {
            run(Map.of(), "bash", "-c", "pkill -x munged; true");
        }
        if (madeMungeKey) {
            Files.deleteIfExists(Path.of("/etc/munge/munge.key"));
        }
    }
}
