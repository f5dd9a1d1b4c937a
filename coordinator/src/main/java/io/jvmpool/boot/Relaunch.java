package io.jvmpool.boot;

import io.jvmpool.launch.ClassDataArchive;
import io.jvmpool.launch.JavaFlags;
import io.jvmpool.launch.JitThresholds;
import io.jvmpool.pool.Timeline;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import sun.misc.Signal;

/**
 * {@code java -jar jvmpool.jar} runs its job in a second JVM started with the coordinator's own class
 * data archive (AppCDS on 17, an AOT cache on 25+), made by the first run and kept beside the
 * workers' in {@code ~/.cache/jvmpool/cds}: the coordinator then maps its gRPC, Netty and protobuf
 * classes instead of loading them, which is most of its start-up.
 *
 * <p>The first JVM only waits: the second inherits stdin, stdout and stderr (so a terminal stays a
 * terminal), gets the first one's JVM flags, and its exit code is the first one's. SIGINT and
 * SIGTERM sent to the first are passed on, so exit codes 130 and 143 stay; if the first is killed
 * (kill -9), the second notices within 100 ms and ends as on SIGTERM, workers and all.
 * {@code JVMPOOL_RELAUNCH=0} runs the job in the first JVM, as does any class path that is not one
 * jar, and before Java 24 {@code --no-cds} and {@code status}.
 */
public final class Relaunch {
    /** Set on the second JVM's command line. */
    static final String MARK = "jvmpool.relaunched";

    private Relaunch() {
    }

    /**
     * Runs the command line {@code argv} in a JVM with the archive when that applies, and returns its
     * exit code; empty when this JVM should run it itself.
     */
    public static OptionalInt run(String[] argv) {
        String classPath = System.getProperty("java.class.path");
        if ("0".equals(System.getenv("JVMPOOL_RELAUNCH")) || classPath.contains(File.pathSeparator) || !isJob(argv)) {
            return OptionalInt.empty();
        }
        var archive = ClassDataArchive.forClassPath("coordinator", classPath);
        if (archive.isEmpty()) {
            return OptionalInt.empty();
        }
        List<String> jvmFlags = launcherFlags();
        if (jvmFlags == null) {
            return OptionalInt.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // before the user's flags, so that theirs win
        List<String> vmFlags = new ArrayList<>(List.of(JitThresholds.COORDINATOR_FLAG));
        vmFlags.addAll(JavaFlags.forJvmpool());
        vmFlags.addAll(jvmFlags);
        command.addAll(vmFlags);
        ClassDataArchive cds = archive.get();
        ClassDataArchive.State state = withoutArchive(argv) ? ClassDataArchive.State.ABSENT : cds.check();
        boolean making = !withoutArchive(argv) && state != ClassDataArchive.State.USABLE && cds.canMake();
        if (state == ClassDataArchive.State.DAMAGED) {
            System.err.println("jvmpool: the coordinator's class data archive " + cds.path() + " was damaged: this run starts without it"
                    + (making ? " and makes a new one" : ""));
        } else if (making) {
            System.err.println("jvmpool: first run: preparing start-up archives for faster starts (a few seconds, once)");
        }
        command.addAll(state == ClassDataArchive.State.USABLE ? cds.useFlags() : making ? cds.createFlags() : List.of());
        long started = startedMillis();
        // run.json's milestones count from the JVM the user started
        command.addAll(List.of("-D" + MARK + "=true", "-D" + Timeline.LAUNCHED_AT + "=" + started, "-cp", classPath, "io.jvmpool.cli.Main"));
        command.addAll(List.of(argv));
        io.jvmpool.shared.ProcessName.set("jvmpool-launch"); // in top: this one waits, jvmpool-coord works
        Process coordinator;
        try {
            coordinator = new ProcessBuilder(command).inheritIO().start();
        } catch (IOException e) {
            return OptionalInt.empty(); // no second JVM: run here, only slower
        }
        for (String signal : List.of("INT", "TERM", "HUP")) {
            Signal.handle(new Signal(signal), s -> pass(signal, coordinator.pid()));
        }
        int jvmCode;
        while (true) {
            try {
                jvmCode = coordinator.waitFor();
                break;
            } catch (InterruptedException e) {
                // only a signal handler could interrupt us, and it passes the signal on: keep waiting
            }
        }
        if (making) {
            cds.archivingWorkerEnded(jvmCode, vmFlags, classPath);
        }
        return OptionalInt.of(ExitReport.take(coordinator.pid()).orElse(jvmCode));
    }

    /**
     * The command that starts a long-lived coordinator JVM ({@code mainClass}, a warm pool) as the
     * relaunched one starts: the same java, class path and flags, this JVM's own flags, and the
     * coordinator's archive when it is usable (a warm pool never makes one: it would be written only
     * when it exits). Empty where this JVM was not started as {@code java [flags] -jar jvmpool.jar}.
     */
    public static java.util.Optional<List<String>> coordinatorCommand(String mainClass, List<String> properties) {
        String classPath = System.getProperty("java.class.path");
        List<String> launcher = launcherFlags();
        var archive = ClassDataArchive.forClassPath("coordinator", classPath);
        if (launcher == null || classPath.contains(File.pathSeparator) || archive.isEmpty()) {
            return java.util.Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(JitThresholds.COORDINATOR_FLAG);
        command.addAll(JavaFlags.forJvmpool());
        command.addAll(launcher);
        ClassDataArchive cds = archive.get();
        if (cds.check() == ClassDataArchive.State.USABLE) {
            command.addAll(cds.useFlags());
        }
        properties.forEach(p -> command.add("-D" + p));
        command.addAll(List.of("-cp", classPath, mainClass));
        return java.util.Optional.of(command);
    }

    /** When this JVM started, in epoch milliseconds (to 10 ms; see {@link #startedMillis}). */
    public static long launchedAtMillis() {
        return startedMillis();
    }

    /**
     * When this process started, in epoch milliseconds, to 10 ms: its age from /proc (start time in
     * clock ticks since boot, and the uptime). ProcessHandle's start instant can be a second off: it
     * adds the ticks to the boot time, which /proc gives in whole seconds.
     */
    private static long startedMillis() {
        long now = System.currentTimeMillis();
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            long ticks = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]); // field 22, starttime
            double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            return now - Math.max(0, (long) ((uptime - ticks / 100.0) * 1000)); // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return now;
        }
    }

    /**
     * The flags this JVM was started with, those before {@code -jar} on its command line (read from
     * /proc: the management API would cost this short-lived JVM a good part of what it saves); null
     * when they can't be read.
     */
    public static List<String> launcherFlags() {
        try {
            String[] words = new String(Files.readAllBytes(Path.of("/proc/self/cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                    .split("\u0000");
            List<String> flags = new ArrayList<>();
            for (int i = 1; i < words.length && !words[i].equals("-jar"); i++) {
                flags.add(words[i]);
            }
            return flags.size() == words.length - 1 ? null : flags; // no -jar: not the command line we know
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Jobs run in the second JVM; --help and --version here at once (and status and --no-cds before Java 24). */
    private static boolean isJob(String[] argv) {
        for (String a : argv) {
            if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
                return false;
            }
        }
        // On Java 24+ a JVM that speaks gRPC needs flags that only a command line can give (else the
        // JDK warns of protobuf's sun.misc.Unsafe): status and --no-cds run in a second JVM there too.
        return !(argv.length > 0 && argv[0].equals("stop")) && !(withoutArchive(argv) && Runtime.version().feature() < 24);
    }

    /** status and --no-cds run without the coordinator's archive. */
    private static boolean withoutArchive(String[] argv) {
        return argv.length > 0 && argv[0].equals("status") || List.of(argv).contains("--no-cds");
    }

    /** Sends {@code signal} to {@code pid} (Java can send only SIGTERM and SIGKILL itself). */
    private static void pass(String signal, long pid) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Call in the coordinator just before it exits with {@code code}: the launcher exits with it. */
    public static void exiting(int code) {
        if (Boolean.getBoolean(MARK)) {
            ExitReport.write(code);
        }
    }

    /**
     * Call first thing in the coordinator: in the second JVM, when the first is gone (kill -9), ends
     * as on SIGTERM, so that no worker outlives it. Does nothing in a JVM that was not relaunched.
     */
    public static void watchLauncher() {
        if (!Boolean.getBoolean(MARK)) {
            return;
        }
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        if (parent == null) {
            return;
        }
        Thread watcher = new Thread(() -> {
            try {
                while (parent.isAlive()) {
                    Thread.sleep(100);
                }
                System.exit(143);
            } catch (InterruptedException e) {
                // the JVM is ending
            }
        }, "jvmpool-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
