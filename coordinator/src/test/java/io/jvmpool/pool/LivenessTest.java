package io.jvmpool.pool;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Certificates;
import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.RemoteWorkers;
import io.jvmpool.testing.Signals;
import java.time.Duration;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Liveness judged fairly on both sides: a paused coordinator blames no worker, a worker let go stops, a worker that can't get in says why. */
@io.jvmpool.testing.Slow
class LivenessTest {
    @TempDir
    Path dir;

    @Test
    void aCoordinatorThatWasStoppedGivesItsWorkersAFreshHeartbeatWindow() throws Exception {
        Path out = dir.resolve("out");
        Path log = dir.resolve("log.txt");
        Process coordinator = Coordinator.start(dir, log, "--task", "burn", "--args", "100", "--batches", "4", "--batch-size", "10",
                "--workers", "2", "--heartbeat-timeout", "1s", "--max-attempts", "1", "-q", "--out", out.toString());
        try {
            awaitFile(out.resolve("label_para_0.npy"), coordinator);
            Signals.send("STOP", coordinator.pid());
            Thread.sleep(3000); // three heartbeat timeouts
            Signals.send("CONT", coordinator.pid());
            assertThat(coordinator.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String said = Files.readString(log);
            assertThat(coordinator.exitValue()).as(said).isZero();
            assertThat(said).contains("every worker gets a fresh heartbeat window").doesNotContain("sent no heartbeat");
        } finally {
            coordinator.destroyForcibly();
        }
    }

    @Test
    void aRemoteWorkerTheCoordinatorGivesUpOnStopsItsTask() throws Exception {
        int port = RemoteWorkers.freePort();
        Path log = dir.resolve("coordinator.txt");
        Process coordinator = Coordinator.start(dir, log, "--task", "burn", "--args", "600000", "--batches", "1", "--batch-size", "1",
                "--workers", "0", "--listen", "127.0.0.1:" + port, "--task-timeout", "2s", "-q", "--out", dir.resolve("out").toString());
        Path workerLog = dir.resolve("worker.txt");
        Process worker = RemoteWorkers.start(workerLog, "--coordinator", "127.0.0.1:" + port);
        try {
            assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("the remote worker ends: " + Files.readString(workerLog)).isTrue();
            assertThat(coordinator.isAlive()).as("the coordinator still waits for workers to retry the task").isTrue();
            assertThat(worker.exitValue()).isEqualTo(1);
            assertThat(Files.readString(workerLog)).contains("ended this worker's stream while task 0 runs: exiting");
            assertThat(Files.readString(log)).contains("ran task 0 for longer than the task timeout");
        } finally {
            worker.destroyForcibly();
            coordinator.destroyForcibly();
        }
    }

    @Test
    void aWorkerWithNobodyToDialSaysWhyAndGivesUpAtItsConnectTimeout() throws Exception {
        int port = RemoteWorkers.freePort();
        Path log = dir.resolve("worker.txt");
        Process worker = RemoteWorkers.start(log, "--index", "7", "--coordinator", "127.0.0.1:" + port, "--connect-timeout", "3");
        String name = "";
        while (worker.isAlive() && !name.equals("jvmpool-w7")) {
            try {
                name = Files.readString(Path.of("/proc", Long.toString(worker.pid()), "comm")).strip();
            } catch (IOException gone) {
                break;
            }
        }
        assertThat(name).as("the worker names itself before it tries to connect").isEqualTo("jvmpool-w7");
        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String said = Files.readString(log);
        assertThat(worker.exitValue()).as(said).isEqualTo(1);
        assertThat(said).contains("can't reach the coordinator at 127.0.0.1:" + port).contains("Connection refused")
                .contains("gave up after 3 s (--connect-timeout)");
    }

    @Test
    void aWorkerThatDoesNotSpeakTheCoordinatorsTlsSaysSo() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Certificates.selfSigned(cert, key);
        int tlsPort = RemoteWorkers.freePort();
        Process tls = Coordinator.start(dir, dir.resolve("tls.txt"), "--workers", "0", "--listen", "127.0.0.1:" + tlsPort,
                "--tls-cert", cert.toString(), "--tls-key", key.toString(), "-q", "--out", dir.resolve("o1").toString());
        int plainPort = RemoteWorkers.freePort();
        Process plain = Coordinator.start(dir, dir.resolve("plain.txt"), "--workers", "0", "--listen", "127.0.0.1:" + plainPort,
                "-q", "--out", dir.resolve("o2").toString());
        try {
            awaitListening(tlsPort);
            awaitListening(plainPort);
            Process noCa = RemoteWorkers.start(dir.resolve("w1.txt"), "--coordinator", "127.0.0.1:" + tlsPort, "--connect-timeout", "3");
            Process withCa = RemoteWorkers.start(dir.resolve("w2.txt"), "--coordinator", "127.0.0.1:" + plainPort, "--connect-timeout", "3",
                    "--tls-ca", cert.toString(), "--tls-authority", "jvmpool.test");
            Process wrongName = RemoteWorkers.start(dir.resolve("w3.txt"), "--coordinator", "127.0.0.1:" + tlsPort, "--connect-timeout", "3",
                    "--tls-ca", cert.toString());
            for (Process w : List.of(noCa, withCa, wrongName)) {
                assertThat(w.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(w.exitValue()).isEqualTo(1);
            }
            assertThat(Files.readString(dir.resolve("w1.txt"))).contains("if the coordinator serves TLS, give --tls-ca");
            assertThat(Files.readString(dir.resolve("w2.txt"))).contains("the coordinator does not serve TLS");
            assertThat(Files.readString(dir.resolve("w3.txt"))).contains("--tls-authority");
        } finally {
            tls.destroyForcibly();
            plain.destroyForcibly();
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        await("something listens on " + port).atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            }
        });
    }

    private static void awaitFile(Path file, Process owner) throws InterruptedException {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(file) || !owner.isAlive());
        assertThat(file).exists();
    }
}
