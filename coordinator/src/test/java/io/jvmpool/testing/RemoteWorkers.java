package io.jvmpool.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Workers started as another machine's would be: they dial a coordinator's port themselves. */
public final class RemoteWorkers {

    private RemoteWorkers() {
    }

    /** A free port on loopback, for a coordinator that the test's workers dial. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Starts a worker JVM with this test's class path and {@code args}; its output goes to {@code log}. */
    public static Process start(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Coordinator.java(), "-cp", System.getProperty("java.class.path"),
                "io.jvmpool.worker.WorkerMain"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
