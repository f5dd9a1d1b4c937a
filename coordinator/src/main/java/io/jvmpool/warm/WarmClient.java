package io.jvmpool.warm;

import io.jvmpool.boot.Relaunch;
import io.jvmpool.shared.Durations;
import io.jvmpool.shared.Tty;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * What {@code java -jar jvmpool.jar} is when a warm pool of its user fits its job: a thin client that
 * sends the command line, folder, environment and terminal over the pool's socket, prints what the
 * job prints, passes on its signals and terminal size, and exits with the job's exit code. With
 * {@code --keep-warm} (or {@code JVMPOOL_KEEP_WARM}) and no pool that fits, it starts one first. It
 * loads no more than it needs: no picocli, no gRPC.
 */
public final class WarmClient {
    /** System properties the pool is started with: its key, and how long it stays warm. */
    public static final String KEY_PROPERTY = "jvmpool.warm.key";
    public static final String KEEP_WARM_PROPERTY = "jvmpool.warm.keep";
    public static final String DAEMON_CLASS = "io.jvmpool.cli.WarmDaemon";
    /** Environment variables jvmpool reads: a job on a warm pool sees the client's. */
    private static final List<String> ENV_PREFIXES = List.of("JVMPOOL_", "XDG_CACHE_HOME", "LINES", "COLUMNS");

    private WarmClient() {
    }

    /** Runs {@code argv}'s job on a warm pool that fits it, or on a new one when asked to keep one; empty: run it as usual. */
    public static OptionalInt run(String[] argv) {
        if (argv.length > 0 && (argv[0].equals("status") || argv[0].equals("stop")) || has(argv, "-h", "--help", "-V", "--version")) {
            return OptionalInt.empty();
        }
        boolean verbose = has(argv, "-v", "--verbose");
        String key = key();
        if (key == null) {
            return OptionalInt.empty();
        }
        var folder = WarmFolder.existing();
        if (folder.isPresent()) {
            for (Path socket : WarmFolder.sockets(folder.get(), key)) {
                OptionalInt done = tryPool(socket, key, argv, verbose);
                if (done.isPresent()) {
                    return done;
                }
            }
        }
        Duration keep = keepWarm(argv);
        if (keep == null) {
            return OptionalInt.empty();
        }
        Path started = startPool(key, keep, verbose);
        return started == null ? OptionalInt.empty() : tryPool(started, key, argv, verbose);
    }

    /** Asks each warm pool of this user to stop; returns how many did. */
    public static int stopAll(PrintStream out) {
        int stopped = 0;
        for (Path socket : WarmFolder.allSockets()) {
            String said = ask(socket, WarmRequest.Kind.STOP);
            if (said != null) {
                out.println("stopped: " + said);
                stopped++;
            }
        }
        return stopped;
    }

    /** One line per warm pool of this user. */
    public static List<String> describeAll() {
        List<String> lines = new ArrayList<>();
        for (Path socket : WarmFolder.allSockets()) {
            String said = ask(socket, WarmRequest.Kind.STATUS);
            if (said != null) {
                lines.add(said);
            }
        }
        return lines;
    }

    private static String ask(Path socket, WarmRequest.Kind kind) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            DataOutputStream out = Frames.output(channel);
            new WarmRequest(kind, "", List.of(), "", Map.of(), false, false, 0, 0, 0).write(out);
            DataInputStream in = Frames.input(channel);
            return in.readByte() == Frames.ACCEPTED ? Frames.readString(in) : null;
        } catch (IOException e) {
            removeIfStale(socket);
            return null;
        }
    }

    /** The job on the pool at {@code socket}; empty when it is gone, busy, or does not fit the job. */
    private static OptionalInt tryPool(Path socket, String key, String[] argv, boolean verbose) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            removeIfStale(socket);
            return OptionalInt.empty();
        }
        long pid = WarmFolder.pidOf(socket);
        try {
            DataOutputStream out = Frames.output(channel);
            DataInputStream in = Frames.input(channel);
            boolean stdoutTty = Tty.isTerminal(1);
            boolean stderrTty = Tty.isTerminal(2);
            int[] size = stderrTty ? terminalSize() : new int[] {0, 0};
            new WarmRequest(WarmRequest.Kind.RUN, key, List.of(argv), Path.of("").toAbsolutePath().toString(), environment(), stdoutTty,
                    stderrTty, size[0], size[1], Relaunch.launchedAtMillis()).write(out);
            byte answer = in.readByte();
            if (answer != Frames.ACCEPTED) {
                String why = answer == Frames.DECLINED ? Frames.readString(in) : "it runs another job";
                if (verbose) {
                    System.err.println("jvmpool: not on the warm pool (pid " + pid + "): " + why + "; running without it");
                }
                channel.close();
                return OptionalInt.empty();
            }
            passSignals(out, stderrTty);
            return OptionalInt.of(relay(in, pid));
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing
            }
            return OptionalInt.empty();
        }
    }

    /** Prints the job's output until its exit code comes; a pool that vanishes first makes it exit 1. */
    private static int relay(DataInputStream in, long pid) {
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        try {
            while (true) {
                byte type = in.readByte();
                if (type == Frames.EXIT) {
                    return in.readInt();
                }
                int n = in.readInt();
                byte[] bytes = in.readNBytes(n);
                OutputStream to = type == Frames.OUT ? stdout : stderr;
                to.write(bytes);
                to.flush();
            }
        } catch (EOFException e) {
            // below
        } catch (IOException e) {
            // below
        }
        try {
            stderr.write(("jvmpool: the warm pool (pid " + pid + ") ended before the job did; the batches it wrote stay: run the same "
                    + "command with --resume to compute the rest\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // nowhere to say it
        }
        return 1;
    }

    /** SIGINT, SIGTERM and SIGHUP go to the job as the exit codes they mean; a resized terminal, its new size. */
    private static void passSignals(DataOutputStream out, boolean terminal) {
        for (String[] signal : new String[][] {{"INT", "130"}, {"TERM", "143"}, {"HUP", "129"}}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal[0]), s -> send(out, Frames.SIGNAL, Integer.parseInt(signal[1])));
            } catch (IllegalArgumentException e) {
                // not on this system
            }
        }
        if (terminal) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> {
                    int[] size = terminalSize();
                    send(out, Frames.SIZE, size[0], size[1]);
                });
            } catch (IllegalArgumentException e) {
                // no resizes then
            }
        }
    }

    private static void send(DataOutputStream out, byte type, int... values) {
        try {
            synchronized (out) {
                out.writeByte(type);
                for (int v : values) {
                    out.writeInt(v);
                }
                out.flush();
            }
        } catch (IOException e) {
            // the pool is gone: relay() says so
        }
    }

    /** Starts a warm pool for this key and waits until it listens; its socket, or null (said with -v) when it did not come up. */
    private static Path startPool(String key, Duration keep, boolean verbose) {
        try {
            Path folder = WarmFolder.create();
            var command = Relaunch.coordinatorCommand(DAEMON_CLASS,
                    List.of(KEY_PROPERTY + "=" + key, KEEP_WARM_PROPERTY + "=" + keep.toMillis()));
            if (command.isEmpty()) {
                return null;
            }
            List<String> argv = new ArrayList<>();
            if (new File("/usr/bin/setsid").canExecute()) {
                argv.add("/usr/bin/setsid"); // its own session: the terminal's Ctrl-C and hang-up are not the pool's
            }
            argv.addAll(command.get());
            Path log = folder.resolve(key + ".log");
            Process daemon = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true).start();
            Path socket = WarmFolder.socket(folder, key, daemon.pid());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(socket)) {
                if (!daemon.isAlive() || System.nanoTime() > deadline) {
                    if (verbose) {
                        System.err.println("jvmpool: the warm pool did not start (see " + log + "); running without it");
                    }
                    daemon.destroy();
                    return null;
                }
                Thread.sleep(10);
            }
            if (verbose) {
                System.err.println("jvmpool: started a warm pool (pid " + daemon.pid() + "), kept " + keep.toSeconds()
                        + " s after its last job; java -jar jvmpool.jar stop ends it");
            }
            return socket;
        } catch (IOException e) {
            if (verbose) {
                System.err.println("jvmpool: can't start a warm pool: " + e.getMessage() + "; running without it");
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A socket whose pool is gone (killed) is removed, so that the next client does not try it. */
    private static void removeIfStale(Path socket) {
        long pid = WarmFolder.pidOf(socket);
        if (pid > 0 && ProcessHandle.of(pid).isEmpty()) {
            try {
                Files.deleteIfExists(socket);
            } catch (IOException e) {
                // another client removes it
            }
        }
    }

    /**
     * What a pool must share with this JVM to run its job: the same java, the same jar (path, size,
     * time), and the same JVM flags, hashed into the socket's name; null outside {@code java -jar}.
     */
    static String key() {
        List<String> flags = Relaunch.launcherFlags();
        String classPath = System.getProperty("java.class.path");
        if (flags == null || classPath.contains(File.pathSeparator)) {
            return null;
        }
        try {
            Path jar = Path.of(classPath).toRealPath();
            String identity = String.join("\u0000", System.getProperty("java.home"), jar.toString(), Long.toString(Files.size(jar)),
                    Long.toString(Files.getLastModifiedTime(jar).toMillis()), String.join("\u0001", flags));
            // A name, not a secret (the pool checks who connects): CRC-32C and String's hash need none of
            // the JDK's security classes, which a thin client would otherwise load (56 classes) on every job.
            CRC32C crc = new CRC32C();
            crc.update(identity.getBytes(StandardCharsets.UTF_8));
            return Long.toHexString(((long) identity.hashCode() << 32) | crc.getValue());
        } catch (IOException e) {
            return null;
        }
    }

    /** --keep-warm's duration, or JVMPOOL_KEEP_WARM's; null when neither (or not a duration: the job's own parse says so). */
    private static Duration keepWarm(String[] argv) {
        String value = System.getenv("JVMPOOL_KEEP_WARM");
        for (int i = 0; i < argv.length; i++) {
            if (argv[i].equals("--keep-warm") && i + 1 < argv.length) {
                value = argv[i + 1];
            } else if (argv[i].startsWith("--keep-warm=")) {
                value = argv[i].substring("--keep-warm=".length());
            } else if (argv[i].equals("--")) {
                break;
            }
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Duration d = Durations.parse(value);
            return d.isNegative() || d.isZero() ? null : d;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        System.getenv().forEach((k, v) -> {
            if (ENV_PREFIXES.stream().anyMatch(k::startsWith)) {
                env.put(k, v);
            }
        });
        return env;
    }

    /** The controlling terminal's rows and columns (stty), or 0 x 0. */
    private static int[] terminalSize() {
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String said = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0) {
                String[] parts = said.split("\\s+");
                return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
            }
        } catch (IOException | RuntimeException e) {
            // no terminal to ask
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new int[] {0, 0};
    }

    private static boolean has(String[] argv, String... flags) {
        for (String a : argv) {
            if (a.equals("--")) {
                return false;
            }
            for (String f : flags) {
                if (a.equals(f)) {
                    return true;
                }
            }
        }
        return false;
    }
}
