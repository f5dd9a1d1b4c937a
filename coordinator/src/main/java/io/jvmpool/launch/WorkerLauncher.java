package io.jvmpool.launch;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteResultHandler;
import org.apache.commons.exec.ShutdownHookProcessDestroyer;

/**
 * Starts worker JVMs as child processes with commons-exec: the same {@code java} and class path as
 * this coordinator, so that the coordinator's jar (or its classes in a build) starts its workers.
 */
public final class WorkerLauncher {
    /** The worker's entry point, in the worker module. */
    static final String WORKER_MAIN = "io.jvmpool.worker.WorkerMain";

    /** Every worker's output lines, printed on this JVM's stderr. */
    private static final WorkerLines LINES = new WorkerLines(() -> io.jvmpool.shared.Tty.isTerminal(2));

    /** Waits a moment until the workers' output handed over so far is printed (before a summary). */
    public static void drainOutput() {
        LINES.drain(500);
    }

    /** Destroys every worker still running when the coordinator's JVM exits (Ctrl-C included). */
    private static final ShutdownHookProcessDestroyer DESTROYER = new ShutdownHookProcessDestroyer();

    private final String coordinatorAddress;
    private final List<String> jvmFlags;
    private final String token;
    /** Empty when workers start without class data sharing (turned off, not possible, or it failed once). */
    private volatile Optional<ClassDataArchive> classData;
    /** True while a worker is making the class data archive: one at a time. */
    private final AtomicBoolean archiving = new AtomicBoolean();

    /**
     * @param coordinatorAddress the address workers dial, {@code HOST:PORT}
     * @param jvmFlags           flags for each worker JVM, before the class path
     * @param token              the coordinator's token, handed over in the environment; null for none
     */
    private final List<String> workerArguments;

    /**
     * @param workerArguments more arguments for each worker (TLS settings)
     */
    public WorkerLauncher(String coordinatorAddress, List<String> jvmFlags, String token, boolean classDataSharing,
                          List<String> workerArguments) {
        this.coordinatorAddress = coordinatorAddress;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.token = token;
        this.workerArguments = List.copyOf(workerArguments);
        this.classData = classDataSharing ? ClassDataArchive.forClassPath(classPath()) : Optional.empty();
        classData.ifPresent(a -> {
            ClassDataArchive.State state = a.check(); // once per pool: the workers then share what was checked
            usable = state == ClassDataArchive.State.USABLE;
            if (state == ClassDataArchive.State.DAMAGED) {
                log().warn("the workers' class data archive {} was damaged: workers start without it{}", a.path(),
                        a.canMake() ? ", and the first makes a new one" : "");
            }
        });
    }

    /** Whether the checked archive can be used; false until one is made. */
    private volatile boolean usable;
    private volatile boolean saidCrash;

    private static org.slf4j.Logger log() {
        return org.slf4j.LoggerFactory.getLogger(WorkerLauncher.class);
    }

    /** Starts worker {@code index}; {@code onExit} runs once its process has ended. */
    public LocalWorker start(int index, Consumer<LocalWorker> onExit) throws IOException {
        Lifeline lifeline = new Lifeline();
        List<String> sharing = List.of();
        Optional<ClassDataArchive> archive = classData;
        boolean makesArchive = false;
        if (archive.isPresent()) {
            if (usable) {
                sharing = archive.get().useFlags();
            } else if (archive.get().canMake() && archiving.compareAndSet(false, true)) {
                sharing = archive.get().createFlags();
                makesArchive = true;
            }
        }
        boolean sharingArchive = !makesArchive && !sharing.isEmpty();
        LocalWorker worker = new LocalWorker(index, lifeline, makesArchive);
        @SuppressWarnings("deprecation") // the builder offers no way to see the Process it starts
        DefaultExecutor executor = new DefaultExecutor() {
            @Override
            protected Process launch(CommandLine command, Map<String, String> env, Path dir) throws IOException {
                Process p = super.launch(command, env, dir);
                worker.started(p);
                return p;
            }
        };
        executor.setStreamHandler(new WorkerStreams(new WorkerOutput(index, LINES, LINES.terminal()),
                new WorkerOutput(index, LINES, LINES.terminal()), lifeline, () -> {
                    LINES.note(index, "(its output could not be read: ending it)");
                    worker.kill();
                }));
        executor.setProcessDestroyer(DESTROYER);
        executor.setExitValues(null); // any exit code is reported, not thrown
        executor.execute(command(index, sharing), environment(), new ExecuteResultHandler() {
            @Override
            public void onProcessComplete(int exitValue) {
                ended(exitValue);
            }

            @Override
            public void onProcessFailed(ExecuteException e) {
                ended(e.getExitValue());
            }

            private void ended(int exitValue) {
                if (worker.makesArchive()) {
                    List<String> vmFlags = new ArrayList<>(JavaFlags.forJvmpool());
                    vmFlags.addAll(jvmFlags);
                    if (archive.get().archivingWorkerEnded(exitValue, vmFlags, classPath())) {
                        usable = archive.get().check() == ClassDataArchive.State.USABLE;
                    } else {
                        classData = Optional.empty(); // never let sharing be why workers fail
                    }
                    archiving.set(false);
                } else if (sharingArchive && (exitValue == 134 || exitValue == 139) && classData.isPresent()) {
                    // a JVM crash (SIGABRT, SIGSEGV) with the archive mapped: never risk it again
                    classData = Optional.empty();
                    archive.get().discard();
                    if (!saidCrash) {
                        saidCrash = true;
                        log().warn("worker w{} crashed (exit {}) with the class data archive {}: workers start without it from now on",
                                index, exitValue, archive.get().path());
                    }
                }
                worker.exited(exitValue);
                onExit.accept(worker);
            }
        });
        worker.awaitStarted();
        return worker;
    }

    /** The command line of worker {@code index}; its index shows in {@code ps} and {@code top -c}. */
    CommandLine command(int index, List<String> sharing) {
        CommandLine line = new CommandLine(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : sharing) {
            line.addArgument(flag, false);
        }
        for (String flag : JavaFlags.forJvmpool()) {
            line.addArgument(flag, false);
        }
        for (String flag : jvmFlags) {
            line.addArgument(flag, false);
        }
        line.addArgument("-Djvmpool.worker=" + index, false);
        line.addArgument("-cp", false);
        line.addArgument(classPath(), false);
        line.addArgument(WORKER_MAIN, false);
        line.addArgument("--coordinator", false);
        line.addArgument(coordinatorAddress, false);
        line.addArgument("--index", false);
        line.addArgument(Integer.toString(index), false);
        line.addArgument("--exit-with-stdin", false);
        for (String arg : workerArguments) {
            line.addArgument(arg, false);
        }
        return line;
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("JVMPOOL_TOKEN");
        if (token != null) {
            env.put("JVMPOOL_TOKEN", token); // not on the command line, where ps would show it
        }
        return env;
    }

    /** This JVM's class path with every entry made absolute, so workers find it from any folder. */
    static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
