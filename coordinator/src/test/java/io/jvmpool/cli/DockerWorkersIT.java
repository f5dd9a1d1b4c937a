package io.jvmpool.cli;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.jvmpool.testing.Argv;
import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Docker;
import io.jvmpool.testing.RemoteWorkers;
import io.jvmpool.testing.Folders;
import io.jvmpool.testing.Numpy;
import io.jvmpool.testing.TaskJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers in Docker containers on a real engine: the image built from docker/Dockerfile, containers
 * on the host network dialing 127.0.0.1, a killed container, a wrong token, a task jar shipped to a
 * container that lacks it, and the Compose file deployed as a Swarm stack.
 */
class DockerWorkersIT {
    private static final String IMAGE = "jvmpool-it:" + UUID.randomUUID().toString().substring(0, 8);
    /** On every image this test builds, so that it can find and remove them all. */
    private static final String LABEL = "io.jvmpool.test=DockerWorkersIT";
    private static final Path ROOT = Path.of(System.getProperty("jvmpool.root", "..")).toAbsolutePath().normalize();
    private static final Path JAR = Path.of(System.getProperty("jvmpool.jar"));

    @TempDir
    Path dir;

    private final List<String> containers = new ArrayList<>();

    @BeforeAll
    static void buildImage() {
        Docker.require();
        Docker.run("build", "-q", "-f", ROOT.resolve("docker/Dockerfile").toString(), "--build-arg", "BASE_IMAGE=" + Docker.BASE_IMAGE,
                "--label", LABEL, "-t", IMAGE, ROOT.toString());
    }

    /** The engine as it was: the image goes once no container uses it, and no dangling image of ours stays. */
    @AfterAll
    static void removeImage() throws Exception {
        Docker.awaitNone(60, "ps", "-aq", "--filter", "ancestor=" + IMAGE);
        Docker.tryRun("rmi", "-f", IMAGE);
        Docker.tryRun("image", "prune", "-f", "--filter", "label=" + LABEL);
        assertThat(Docker.run("images", "-q", "--filter", "dangling=true", "--filter", "label=" + LABEL)).isEmpty();
    }

    @AfterEach
    void removeContainers() throws IOException {
        for (String c : containers) {
            Docker.tryRun("rm", "-f", c);
        }
    }

    @Test
    void theSeedJobOnTwoContainerWorkersWritesTheFilesOfALocalRun() throws Exception {
        int port = RemoteWorkers.freePort();
        Path out = dir.resolve("containers");
        Path log = dir.resolve("coordinator.log");
        Process coordinator = coordinator(log, "-P", "loop=300000", "--workers", "0", "--min-workers", "2",
                "--listen", "127.0.0.1:" + port, "--token", "right-token", "--out", out.toString());
        Instant dockerRun = Instant.now();
        worker(port, "right-token");
        worker(port, "right-token");
        assertThat(coordinator.waitFor(180, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
        assertThat(coordinator.exitValue()).as(Files.readString(log)).isZero();

        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        Instant firstTask = Instant.parse(report.get("start").getAsString()).plusMillis(
                (long) (1000 * (report.getAsJsonObject("seconds_since_jvm_start").get("first_task_sent").getAsDouble()
                        - report.getAsJsonObject("seconds_since_jvm_start").get("pool_started").getAsDouble())));
        System.out.printf("docker run of the workers to the first task handed out: %d ms%n",
                java.time.Duration.between(dockerRun, firstTask).toMillis());
        assertThat(report.getAsJsonArray("workers")).hasSize(2);

        assertSameAsALocalRun(out, "-P", "loop=300000");
    }

    /** The README's block, in a folder laid out as the repository is, with this test's image and a free port. */
    @Test
    void theReadmesDockerBlockRunsAsWritten() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.createDirectories(repo.resolve("coordinator/target"));
        Files.createSymbolicLink(repo.resolve("coordinator/target/jvmpool.jar"), JAR.toAbsolutePath());
        String block = io.jvmpool.testing.Readme.block("console", "docker run -d --rm --network host")
                .replace("7070", Integer.toString(RemoteWorkers.freePort()))
                .replace(":/out jvmpool\"", ":/out " + IMAGE + "\"");
        Path log = dir.resolve("block.log");
        Process p = new ProcessBuilder("bash", "-euo", "pipefail", "-c", block).directory(repo.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as(Files.readString(log)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        assertThat(Files.readString(log)).contains("done in").contains("2 remote");
        assertSameAsALocalRun(repo.resolve("runs/docker"));
        Docker.awaitNone(60, "ps", "-aq", "--filter", "ancestor=" + IMAGE, "--filter", "status=exited");
    }

    @Test
    void containersOnThisMachineWithTheFolderMountedWriteTheirRowsIntoTheBatchFiles() throws Exception {
        int port = RemoteWorkers.freePort();
        Path out = Files.createDirectories(dir.resolve("mounted"));
        Path log = dir.resolve("coordinator.log");
        String[] job = {"--task", "array", "--args", "0.25", "--outputs", "a", "--batches", "3", "--batch-size", "20"};
        Process coordinator = coordinator(log, Argv.with(job, "--workers", "0", "--min-workers", "2", "--listen", "127.0.0.1:" + port,
                "--token", "t", "--out", out.toString()));
        for (int i = 0; i < 2; i++) {
            String id = Docker.run("run", "-d", "--network", "host", "-e", "JVMPOOL_TOKEN=t", "--user", id("-u") + ":" + id("-g"),
                    "-v", out + ":/out", IMAGE, "--coordinator", "127.0.0.1:" + port, "--out", "/out");
            containers.add(id);
        }
        assertThat(coordinator.waitFor(180, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
        assertThat(coordinator.exitValue()).as(Files.readString(log)).isZero();
        JsonObject report = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
        assertThat(report.getAsJsonObject("totals").get("tasks_written_in_place").getAsLong())
                .as("rows the containers wrote into the files themselves").isPositive();
        assertSameAsALocalRun(out, job);
    }

    @Test
    void aKilledContainerLosesNoTask() throws Exception {
        int port = RemoteWorkers.freePort();
        Path out = dir.resolve("killed");
        Path log = dir.resolve("coordinator.log");
        String[] job = {"--task", "burn", "--args", "150", "--batches", "4", "--batch-size", "10"};
        Process coordinator = coordinator(log, Argv.with(job, "--workers", "0", "--min-workers", "2", "--listen", "127.0.0.1:" + port,
                "--token", "t", "--out", out.toString()));
        String victim = worker(port, "t");
        worker(port, "t");
        await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(out.resolve("label_para_0.npy")));
        Docker.run("kill", victim);
        assertThat(coordinator.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(log);
        assertThat(coordinator.exitValue()).as(text).isZero();

        assertSameAsALocalRun(out, job);
    }

    @Test
    void aWorkerWithTheWrongTokenIsRefusedAndTheJobGoesOn() throws Exception {
        int port = RemoteWorkers.freePort();
        Path out = dir.resolve("token");
        Path log = dir.resolve("coordinator.log");
        Process coordinator = coordinator(log, "-P", "loop=1000", "--workers", "0", "--min-workers", "1", "--listen",
                "127.0.0.1:" + port, "--token", "right", "--out", out.toString());
        String intruder = worker(port, "wrong");
        Docker.run("wait", intruder);
        String said = Docker.run("logs", intruder);
        assertThat(said).contains("refused").contains("wrong or missing token");
        assertThat(Files.readString(log)).contains("refused a worker");
        assertThat(coordinator.isAlive()).as("no task went to the intruder").isTrue();
        worker(port, "right");
        assertThat(coordinator.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(coordinator.exitValue()).as(Files.readString(log)).isZero();
        assertThat(Folders.npyFiles(out)).hasSize(6);
    }

    @Test
    void aTaskJarIsShippedToAContainerThatLacksIt() throws Exception {
        Path jar = TaskJars.build(dir, "power", "com.example.tasks.PowerTask", Files.readString(UserTaskJarTest.SOURCE));
        int port = RemoteWorkers.freePort();
        Path out = dir.resolve("shipped");
        Path log = dir.resolve("coordinator.log");
        Process coordinator = coordinator(log, "--task-jar", jar.toString(), "--task", "com.example.tasks.PowerTask",
                "-P", "power=3", "--args", "1.5", "--outputs", "cube,pair", "--batches", "2", "--batch-size", "5",
                "--workers", "0", "--listen", "127.0.0.1:" + port, "--token", "t", "--out", out.toString());
        String container = worker(port, "t");
        assertThat(coordinator.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(log);
        assertThat(coordinator.exitValue()).as(text).isZero();
        assertThat(text).contains("sending task jar power.jar");
        String check = Numpy.run("""
                import sys, os, numpy as np
                out = sys.argv[1]
                for b in range(2):
                    cube = np.load(os.path.join(out, 'cube_para_%d.npy' % b))
                    for i in range(5):
                        x = 1.5 + b * 5 + i
                        assert cube[i] == np.float32(x ** 3), (cube[i], x)
                print('ok')
                """, out.toString());
        assertThat(check).isEqualTo("ok");
        assertThat(Docker.tryRun("exec", container, "true").exitCode()).as("the worker exited after the job").isNotZero();
    }

    @Test
    void theComposeFileRunsAJobAsASwarmStack() throws Exception {
        boolean madeSwarm = Docker.tryRun("info", "--format", "{{.Swarm.LocalNodeState}}").text().strip().equals("inactive");
        if (madeSwarm) {
            Docker.run("swarm", "init", "--advertise-addr", "127.0.0.1");
        }
        int port = RemoteWorkers.freePort();
        Path out = Files.createDirectory(dir.resolve("stack")); // the user's own folder, as it is: the coordinator runs as the user
        Path override = dir.resolve("host-network.yaml");
        Files.writeString(override, """
                services:
                  coordinator:
                    networks: [hostnet]
                  worker:
                    networks: [hostnet]
                networks:
                  hostnet:
                    external: true
                    name: host
                """);
        String stack = "jvmpoolit" + UUID.randomUUID().toString().substring(0, 6);
        ProcessBuilder pb = new ProcessBuilder("docker", "stack", "deploy", "-c", ROOT.resolve("docker/compose.yaml").toString(),
                "-c", ROOT.resolve("docker/swarm.yaml").toString(), "-c", override.toString(), stack).redirectErrorStream(true);
        pb.environment().put("JVMPOOL_IMAGE", IMAGE);
        pb.environment().put("JVMPOOL_TOKEN", "stack-token");
        pb.environment().put("JVMPOOL_LISTEN", "127.0.0.1:" + port);
        pb.environment().put("JVMPOOL_COORDINATOR", "127.0.0.1:" + port);
        pb.environment().put("JVMPOOL_MIN_WORKERS", "2");
        pb.environment().put("JVMPOOL_WORKERS", "1");
        pb.environment().put("JVMPOOL_OUT", out.toString());
        pb.environment().put("JVMPOOL_JOB", "-P loop=300000");
        pb.environment().putAll(invokingUser());
        try {
            Process p = pb.start();
            String said = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(said).isZero();
            Docker.run("service", "scale", "--detach", stack + "_worker=2");
            try {
                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(200)).until(() -> Files.exists(out.resolve("run.json")));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // said below, with the coordinator's log
            }
            assertThat(out.resolve("run.json")).as(Docker.tryRun("service", "logs", stack + "_coordinator").text()).exists();
            assertThat(Folders.npyFiles(out)).hasSize(6);
            JsonObject report = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
            assertThat(report.get("outcome").getAsString()).isEqualTo("done");
            assertThat(report.getAsJsonArray("workers").size()).isGreaterThanOrEqualTo(2);
        } finally {
            Docker.tryRun("stack", "rm", stack);
            // stack rm returns at once; its containers and networks go after it
            Docker.awaitNone(120, "ps", "-aq", "--filter", "label=com.docker.stack.namespace=" + stack);
            Docker.awaitNone(60, "network", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + stack);
            for (String volume : Docker.tryRun("volume", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + stack).text()
                    .strip().split("\\s+")) {
                if (!volume.isEmpty()) {
                    Docker.tryRun("volume", "rm", volume);
                }
            }
            assertThat(Docker.tryRun("volume", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" + stack).text().strip())
                    .as("the workers' volumes are gone").isEmpty();
            if (madeSwarm) {
                Docker.tryRun("swarm", "leave", "--force");
                Docker.awaitNone(60, "ps", "-aq", "--filter", "network=docker_gwbridge");
                Docker.tryRun("network", "rm", "docker_gwbridge");
                assertThat(Docker.run("info", "--format", "{{.Swarm.LocalNodeState}}")).isEqualTo("inactive");
            }
        }
    }

    @Test
    void theComposeFileRunsTheSeedJobWithDockerCompose() throws Exception {
        io.jvmpool.testing.Need.COMPOSE.require();
        int port = RemoteWorkers.freePort();
        // a user's own folder (uid 65534 here, rwxr-xr-x): only that user may write to it, and the coordinator runs as that user
        Path out = Files.createDirectory(dir.resolve("compose"));
        java.util.Map<String, String> owner = invokingUser();
        if (owner.get("JVMPOOL_UID").equals("0")) {
            Files.setAttribute(out, "unix:uid", 65534);
            Files.setAttribute(out, "unix:gid", 65534);
            owner = java.util.Map.of("JVMPOOL_UID", "65534", "JVMPOOL_GID", "65534");
        }
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path override = dir.resolve("host-network.yaml"); // tests reach containers on loopback only
        Files.writeString(override, """
                services:
                  coordinator:
                    network_mode: host
                  worker:
                    network_mode: host
                """);
        String project = "jvmpoolit" + UUID.randomUUID().toString().substring(0, 6);
        List<String> compose = List.of("docker-compose", "-p", project, "-f", ROOT.resolve("docker/compose.yaml").toString(), "-f",
                override.toString());
        ProcessBuilder up = new ProcessBuilder(Argv.list(compose, "up", "--scale", "worker=2")).redirectErrorStream(true);
        up.environment().put("JVMPOOL_IMAGE", IMAGE);
        up.environment().put("JVMPOOL_TOKEN", "compose-token");
        up.environment().put("JVMPOOL_LISTEN", "127.0.0.1:" + port);
        up.environment().put("JVMPOOL_COORDINATOR", "127.0.0.1:" + port);
        up.environment().put("JVMPOOL_MIN_WORKERS", "2");
        up.environment().put("JVMPOOL_OUT", out.toString());
        up.environment().put("JVMPOOL_JOB", "-P loop=300000");
        up.environment().putAll(owner);
        try {
            Process p = up.start();
            String said = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(said).isZero();
            assertThat(Folders.npyFiles(out)).as(said).hasSize(6);
            JsonObject report = JsonParser.parseString(Files.readString(out.resolve("run.json"))).getAsJsonObject();
            assertThat(report.get("outcome").getAsString()).isEqualTo("done");
            assertSameAsALocalRun(out, "-P", "loop=300000");
        } finally {
            ProcessBuilder down = new ProcessBuilder(Argv.list(compose, "down", "--remove-orphans")).redirectErrorStream(true);
            down.environment().put("JVMPOOL_TOKEN", "compose-token");
            Process d = down.start();
            d.getInputStream().readAllBytes();
            d.waitFor(120, TimeUnit.SECONDS);
            Docker.awaitNone(60, "ps", "-aq", "--filter", "label=com.docker.compose.project=" + project);
        }
    }

    /** The uid and gid of this test's user, as the README has the user give them: the coordinator then writes to the user's own folder. */
    private static java.util.Map<String, String> invokingUser() throws IOException {
        return java.util.Map.of("JVMPOOL_UID", id("-u"), "JVMPOOL_GID", id("-g"));
    }

    private static String id(String which) throws IOException {
        return new String(new ProcessBuilder("id", which).start().getInputStream().readAllBytes()).strip();
    }

    /** Runs the same job with two local workers and compares the files byte for byte. */
    private void assertSameAsALocalRun(Path out, String... job) throws Exception {
        Path local = dir.resolve("local");
        Path log = dir.resolve("local.log");
        Process reference = coordinator(log, Argv.with(job, "--workers", "2", "--out", local.toString()));
        assertThat(reference.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(reference.exitValue()).as(Files.readString(log)).isZero();
        Folders.assertSameNpyFiles(out, local);
    }

    private Process coordinator(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Coordinator.java(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Starts a worker container on the host network; returns its id. */
    private String worker(int port, String token) {
        String id = Docker.run("run", "-d", "--network", "host", "-e", "JVMPOOL_TOKEN=" + token, IMAGE,
                "--coordinator", "127.0.0.1:" + port);
        containers.add(id);
        return id;
    }


}
