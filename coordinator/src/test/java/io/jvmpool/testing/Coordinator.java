package io.jvmpool.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Starts the coordinator as its own process (java -cp <this class path> io.jvmpool.cli.Main ...), as a user would. */
public final class Coordinator {

    private Coordinator() {
    }

    public static Process start(Path workDir, Path log, String... argv) throws IOException {
        return start(workDir, log, List.of(), argv);
    }

    /** As {@link #start(Path, Path, String...)}, with flags for the coordinator's own JVM (e.g. -Xmx64m). */
    public static Process start(Path workDir, Path log, List<String> jvmFlags, String... argv) throws IOException {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.jvmpool.cli.Main"));
        command.addAll(List.of(argv));
        return new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The address the coordinator's log says workers dial, once it says it. */
    public static String awaitAddress(Path log) {
        java.util.regex.Pattern address = java.util.regex.Pattern.compile("workers dial (127\\.0\\.0\\.1:\\d+)");
        return org.awaitility.Awaitility.await("the coordinator says its address").atMost(java.time.Duration.ofSeconds(60)).until(() -> {
            java.util.regex.Matcher m = address.matcher(java.nio.file.Files.exists(log) ? java.nio.file.Files.readString(log) : "");
            return m.find() ? m.group(1) : null;
        }, java.util.Objects::nonNull);
    }

    /** Waits until {@code parent} has {@code n} worker JVMs as children; returns them. */
    public static List<ProcessHandle> awaitWorkers(ProcessHandle parent, int n) {
        return org.awaitility.Awaitility.await(n + " workers started").atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(50)).until(() -> workers(parent), w -> w.size() == n);
    }

    /** Waits until the job at {@code address} says {@code n} workers are busy with tasks (jvmpool status). */
    public static void awaitBusy(String address, int n) {
        org.awaitility.Awaitility.await(n + " workers busy").atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(100)).until(() -> {
                    Cli.Result status = Cli.run("status", "--coordinator", address);
                    return status.out().lines().filter(l -> l.matches("\\s+w\\d+ .*\\bbusy\\b.*")).count() >= n;
                });
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The worker JVMs among the children of {@code parent}, by their main class on the command line. */
    public static List<ProcessHandle> workers(ProcessHandle parent) {
        return parent.children().filter(Coordinator::isWorker).toList();
    }

    /** Every worker JVM on this machine started from this build's class path. */
    public static List<ProcessHandle> allWorkers() {
        return ProcessHandle.allProcesses().filter(Coordinator::isWorker).toList();
    }

    public static boolean isWorker(ProcessHandle p) {
        return arguments(p).contains("io.jvmpool.worker.WorkerMain");
    }

    /**
     * A process's command line, read from /proc: ProcessHandle.Info gives none for a long one (the
     * test class path is long), so it can't tell a worker.
     */
    public static List<String> arguments(ProcessHandle p) {
        try {
            String cmdline = java.nio.file.Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            return List.of(cmdline.split("\0"));
        } catch (IOException | RuntimeException e) {
            return p.info().arguments().map(List::of).orElse(List.of());
        }
    }

    /** The value after {@code flag} on a process's command line, if any. */
    public static Optional<String> argument(ProcessHandle p, String flag) {
        List<String> args = arguments(p);
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? Optional.of(args.get(i + 1)) : Optional.empty();
    }
}
