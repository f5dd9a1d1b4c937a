package io.jvmpool.worker;

import io.jvmpool.shared.Version;
import io.jvmpool.shared.Wire;
import io.jvmpool.shared.Token;
import io.jvmpool.shared.Tls;
import io.jvmpool.shared.LogTimes;
import io.jvmpool.shared.NettyEvents;
import io.jvmpool.shared.ProcessName;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.jvmpool.proto.Hello;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The worker JVM: dials a coordinator and runs the tasks it is sent until the coordinator is done. */
@Command(name = "jvmpool-worker", mixinStandardHelpOptions = true, versionProvider = WorkerMain.VersionProvider.class,
        description = "Runs jvmpool tasks for the coordinator at --coordinator until its job is done.")
public final class WorkerMain implements Callable<Integer> {
    private static final String TOKEN_ENV = "JVMPOOL_TOKEN";
    private static final String DEFAULT_CONNECT_TIMEOUT = "300";

    @Option(names = "--coordinator", required = true, paramLabel = "HOST:PORT",
            defaultValue = "${env:JVMPOOL_COORDINATOR}", description = "The coordinator's gRPC address (env JVMPOOL_COORDINATOR).")
    String coordinator;

    @Option(names = "--index", defaultValue = "-1", paramLabel = "N",
            description = "This worker's index, given by the coordinator that started it; names the process jvmpool-w<N>.")
    int index;

    @Option(names = "--token", paramLabel = "T", defaultValue = "${env:" + TOKEN_ENV + "}",
            description = "The coordinator's shared token (env JVMPOOL_TOKEN).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from this file.")
    Path tokenFile;

    @Option(names = "--tls-ca", paramLabel = "PEM",
            description = "Speak TLS to the coordinator, trusting this certificate (the coordinator's own, or its CA).")
    Path tlsCa;

    @Option(names = "--tls-authority", paramLabel = "NAME",
            description = "The name to check the coordinator's certificate against, when it is not the --coordinator host.")
    String tlsAuthority;

    @Option(names = "--connect-timeout", paramLabel = "SECONDS", defaultValue = DEFAULT_CONNECT_TIMEOUT,
            description = "Give up (exit 1) when no coordinator has let this worker in after this many seconds; "
                    + "until then it keeps trying, and says why it can't get in every few seconds (default: ${DEFAULT-VALUE}).")
    long connectTimeoutSeconds;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "${env:JVMPOOL_OUT}",
            description = "The coordinator's output folder as this worker sees it (a container on the coordinator's machine "
                    + "with the folder mounted; env JVMPOOL_OUT): once it has checked that the folder is the job's, the "
                    + "worker writes its rows into the batch files itself instead of sending them.")
    Path out;

    @Option(names = "--exit-with-stdin",
            description = "Exit as soon as standard input closes: the lifeline of a worker started by a coordinator.")
    boolean exitWithStdin;

    public static void main(String[] args) {
        // first of all, so that top never shows a bare "java" for a worker
        ProcessName.set(ProcessName.worker(indexIn(args)));
        NettyEvents.offUnlessAsked();
        WorkerMain local = startedByCoordinator(args);
        if (local != null) {
            LogTimes.none(); // the coordinator stamps each line of its workers' logs
        } else {
            LogTimes.timeOfDay();
        }
        System.exit(local != null ? local.runStartedByCoordinator() : new CommandLine(new WorkerMain()).execute(args));
    }

    /**
     * The command line a coordinator gives each worker it starts ({@code --coordinator ADDRESS
     * --index N --exit-with-stdin}, nothing else), read without picocli; null for any other, which
     * picocli reads. Why: picocli's classes are of a class file version too old for Java 17's class
     * data archive, so each worker loaded, verified and ran them afresh, about 0.2 CPU-seconds of
     * every worker's start (and workers start together, on as many cores as there are workers).
     */
    static WorkerMain startedByCoordinator(String[] args) {
        if (args.length != 5 || !args[0].equals("--coordinator") || !args[2].equals("--index")
                || !args[4].equals("--exit-with-stdin") || args[1].startsWith("-")) {
            return null;
        }
        WorkerMain w = new WorkerMain();
        try {
            w.index = Integer.parseInt(args[3]);
        } catch (NumberFormatException e) {
            return null;
        }
        w.coordinator = args[1];
        w.token = System.getenv(TOKEN_ENV);
        w.connectTimeoutSeconds = Long.parseLong(DEFAULT_CONNECT_TIMEOUT);
        w.exitWithStdin = true;
        return w;
    }

    private int runStartedByCoordinator() {
        try {
            return call();
        } catch (Exception e) {
            System.err.println("jvmpool worker: " + e);
            return 1;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (exitWithStdin) {
            watchStdin();
        }
        ManagedChannel channel = Tls.configure(NettyChannelBuilder.forTarget(coordinator), tlsCa, tlsAuthority)
                .maxInboundMessageSize(Wire.MAX_MESSAGE_BYTES)
                .flowControlWindow(Wire.FLOW_CONTROL_WINDOW)
                // the stream's callbacks only queue messages for the task thread: no need for another thread
                .directExecutor()
                // no replay buffer holding sent messages: a result message's data are views of buffers
                // the next tasks reuse (ResultWriter.drain); the worker dials again itself when its stream fails
                .disableRetry()
                .keepAliveTime(20, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(channel::shutdownNow, "jvmpool-worker-stop"));
        Hello hello = Hello.newBuilder()
                .setIndex(index)
                .setPid(ProcessHandle.current().pid())
                .setHost(hostName())
                .setCores(Runtime.getRuntime().availableProcessors())
                .setVersion(Version.get())
                .setToken(readToken())
                .build();
        try {
            return new WorkerConnection(channel, coordinator, hello, java.time.Duration.ofSeconds(connectTimeoutSeconds), out).run();
        } finally {
            channel.shutdownNow();
        }
    }

    /** The value of {@code --index N} or {@code --index=N}, read before the command line is parsed; -1 without one. */
    static int indexIn(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String value = args[i].startsWith("--index=") ? args[i].substring("--index=".length())
                    : args[i].equals("--index") && i + 1 < args.length ? args[i + 1] : null;
            if (value != null) {
                try {
                    return Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    return -1; // picocli will say what is wrong with it
                }
            }
        }
        return -1;
    }

    private String readToken() throws IOException {
        String t = Token.read(token, tokenFile);
        return t == null ? "" : t;
    }

    /** Ends this JVM at once when the coordinator that started it closes our stdin (or dies). */
    private static void watchStdin() {
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] buffer = new byte[64];
            try {
                while (in.read(buffer) >= 0) {
                    // the coordinator never writes; anything read is ignored
                }
            } catch (IOException e) {
                // a broken pipe means the same as end of input
            }
            Runtime.getRuntime().halt(Wire.EXIT_LIFELINE);
        }, "jvmpool-lifeline");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jvmpool worker " + Version.get()};
        }
    }
}
