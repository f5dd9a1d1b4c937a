package io.jvmpool.warm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A warm pool's socket: it takes one job at a time from its user's clients (a second client gets
 * "busy" and runs elsewhere), relays the job's output to the client and the client's signals and
 * terminal size to the job, and ends the pool when it has been idle for its keep-warm time, when the
 * jar it came from changes or goes, or when asked to stop. Only the user the pool runs as may
 * connect: the socket is in a folder only that user can open, and the peer's credentials are checked.
 */
public final class WarmServer {
    private static final Logger LOG = LoggerFactory.getLogger(WarmServer.class);

    /** What runs the jobs: the CLI, on its kept pool. */
    public interface Host {
        /** Why this pool can't run the request's job (the client then runs it without the pool), or null. */
        String decline(WarmRequest request);

        /** Runs the request's job, its output to {@code out} and {@code err}; returns its exit code. */
        int run(WarmRequest request, PrintStream out, PrintStream err);

        /** The client got a signal (or vanished): stop the job as that signal would, with this exit code. */
        void interrupt(int exitCode);

        /** The client's terminal has a new size. */
        void resized(int rows, int columns);

        /** How long to stay up idle after the last job. */
        Duration keepWarm();

        /** One line for {@code status}: the pool's workers, memory, and since when it is idle. */
        String describe(boolean busy, long idleSinceMillis);

        /** Ends the pool and its workers. */
        void close();
    }

    private final Path socket;
    /** The log the client that started the pool gave it: removed when the pool ends as it should. */
    private final Path log;
    private final Path jar;
    private final long jarSize;
    private final long jarModified;
    private final Host host;
    private final ServerSocketChannel server;
    private final ReentrantLock job = new ReentrantLock();
    private volatile long idleSince = System.currentTimeMillis();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jvmpool-warm-timer");
        t.setDaemon(true);
        return t;
    });

    private WarmServer(Path socket, Path jar, Host host) throws IOException {
        this.socket = socket;
        this.log = Path.of(socket.toString().replaceFirst("-\\d+\\.sock$", ".log"));
        this.jar = jar;
        this.jarSize = Files.size(jar);
        this.jarModified = Files.getLastModifiedTime(jar).toMillis();
        this.host = host;
        Files.deleteIfExists(socket);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    }

    /** Where the pool of this key in process {@code pid} listens (the folder made if need be). */
    public static Path socketFor(String key, long pid) throws IOException {
        return WarmFolder.socket(WarmFolder.create(), key, pid);
    }

    /** Listens at {@code socket} and serves until the pool ends; {@code jar} is the jar the pool runs from. */
    public static void serve(Path socket, Path jar, Host host) throws IOException {
        WarmServer s = new WarmServer(socket, jar, host);
        s.timer.scheduleWithFixedDelay(s::checkStillWanted, 1, 1, TimeUnit.SECONDS);
        LOG.info("warm pool listening at {}", socket);
        while (true) {
            SocketChannel client;
            try {
                client = s.server.accept();
            } catch (IOException e) {
                return; // closed: the pool ends
            }
            Thread t = new Thread(() -> s.handle(client), "jvmpool-warm-client");
            t.setDaemon(true);
            t.start();
        }
    }

    private void checkStillWanted() {
        if (job.isLocked()) {
            return;
        }
        String why = null;
        long idle = System.currentTimeMillis() - idleSince;
        if (idle >= host.keepWarm().toMillis()) {
            why = "idle for " + Duration.ofMillis(idle).toSeconds() + " s (--keep-warm " + host.keepWarm().toSeconds() + " s)";
        } else if (!jarUnchanged()) {
            why = "its jar " + jar + " changed or is gone";
        }
        if (why != null) {
            end(why);
        }
    }

    private boolean jarUnchanged() {
        try {
            return Files.size(jar) == jarSize && Files.getLastModifiedTime(jar).toMillis() == jarModified;
        } catch (IOException e) {
            return false;
        }
    }

    /** Ends the pool: no new client gets in, the socket goes, the workers end, the JVM exits. */
    private void end(String why) {
        LOG.info("warm pool ends: {}", why);
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // going anyway
        }
        host.close();
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // it stays beside the socket folder's others
        }
        System.exit(0);
    }

    private void handle(SocketChannel client) {
        try (client) {
            if (!fromOurUser(client)) {
                LOG.warn("refused a client of another user");
                return;
            }
            DataInputStream in = Frames.input(client);
            DataOutputStream out = Frames.output(client);
            WarmRequest request = WarmRequest.read(in);
            switch (request.kind()) {
                case STATUS -> {
                    out.writeByte(Frames.ACCEPTED);
                    Frames.writeString(out, host.describe(job.isLocked(), idleSince));
                    out.flush();
                }
                case STOP -> {
                    out.writeByte(Frames.ACCEPTED);
                    Frames.writeString(out, host.describe(job.isLocked(), idleSince));
                    out.flush();
                    end("asked to stop");
                }
                case RUN -> run(request, in, out);
            }
        } catch (EOFException e) {
            // the client went before it said what it wanted
        } catch (IOException | RuntimeException e) {
            LOG.warn("a client's request failed: {}", e.toString());
        }
    }

    private void run(WarmRequest request, DataInputStream in, DataOutputStream out) throws IOException {
        if (!job.tryLock()) {
            out.writeByte(Frames.BUSY);
            out.flush();
            return;
        }
        try {
            String declined = jarUnchanged() ? host.decline(request) : "its jar changed";
            if (declined != null) {
                out.writeByte(Frames.DECLINED);
                Frames.writeString(out, declined);
                out.flush();
                return;
            }
            out.writeByte(Frames.ACCEPTED);
            out.flush();
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread listener = new Thread(() -> listen(in, running), "jvmpool-warm-signals");
            listener.setDaemon(true);
            listener.start();
            int code;
            try (PrintStream stdout = new PrintStream(new Frames.Stream(out, Frames.OUT), true, StandardCharsets.UTF_8);
                 PrintStream stderr = new PrintStream(new Frames.Stream(out, Frames.ERR), true, StandardCharsets.UTF_8)) {
                code = host.run(request, stdout, stderr);
            } finally {
                running.set(false);
            }
            synchronized (out) {
                out.writeByte(Frames.EXIT);
                out.writeInt(code);
                out.flush();
            }
        } finally {
            idleSince = System.currentTimeMillis();
            job.unlock();
        }
    }

    /** The client's signals and resizes while its job runs; its going away stops the job. */
    private void listen(DataInputStream in, java.util.concurrent.atomic.AtomicBoolean running) {
        try {
            while (true) {
                byte type = in.readByte();
                if (type == Frames.SIGNAL) {
                    int code = in.readInt();
                    if (running.get()) {
                        host.interrupt(code);
                    }
                } else if (type == Frames.SIZE) {
                    host.resized(in.readInt(), in.readInt());
                } else {
                    throw new IOException("unexpected message " + type);
                }
            }
        } catch (IOException e) {
            if (running.get()) {
                host.interrupt(143); // the client is gone (kill -9): nobody waits for the job
            }
        }
    }

    /** Whether the client runs as the user this pool runs as (its socket's peer credentials). */
    private static boolean fromOurUser(SocketChannel client) {
        try {
            jdk.net.UnixDomainPrincipal peer = client.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED);
            return peer.user().getName().equals(System.getProperty("user.name"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
