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
    }

    /** Starts worker {@code index}; {@code onExit} runs once its process has ended. */
    public LocalWorker start(int index, Consumer<LocalWorker> onExit) throws IOException {
        Lifeline lifeline = new Lifeline();
        List<String> sharing = List.of();
        Optional<ClassDataArchive> archive = classData;
        boolean makesArchive = false;
        if (archive.isPresent()) {
            if (archive.get().exists()) {
                sharing = archive.get().useFlags();
            } else if (archiving.compareAndSet(false, true)) {
                sharing = archive.get().createFlags();
                makesArchive = true;
            }
        }
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
        executor.setStreamHandler(new WorkerStreams(new WorkerLog(index), new WorkerLog(index), lifeline));
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
                    if (!archive.get().archivingWorkerEnded(exitValue)) {
                        classData = Optional.empty(); // never let sharing be why workers fail
                    }
                    archiving.set(false);
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
        if (Runtime.version().feature() >= 24) {
            // gRPC's Netty and protobuf use native access and sun.misc.Unsafe, which newer JVMs warn about
            line.addArgument("--enable-native-access=ALL-UNNAMED", false);
            line.addArgument("--sun-misc-unsafe-memory-access=allow", false);
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
