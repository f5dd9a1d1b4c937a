package io.jvmpool.pool;

import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.jvmpool.proto.CoordinatorGrpc;
import io.jvmpool.proto.CoordinatorMessage;
import io.jvmpool.proto.Hello;
import io.jvmpool.proto.TaskSetup;
import io.jvmpool.proto.TaskJar;
import io.jvmpool.proto.StatusReply;
import io.jvmpool.proto.StatusRequest;
import io.jvmpool.proto.WorkerMessage;
import io.jvmpool.rows.DType;
import io.jvmpool.shared.Version;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's gRPC service: takes each worker's stream, checks its hello (token, version),
 * sends it its setup and passes what it says on to the {@link Scheduler}.
 */
final class WorkerHub extends CoordinatorGrpc.CoordinatorImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerHub.class);
    /** Reads task jars for the workers that ask for them, off the network's threads. */
    private final ExecutorService jarReader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jvmpool-jar-reader");
        t.setDaemon(true);
        return t;
    });

    private final Scheduler scheduler;
    /** The current job's setup and output dtypes: one pair, swapped whole between jobs ({@link #retask}). */
    private record Job(TaskSetup setup, List<DType> dtypes) {
    }

    private volatile Job job;
    private final String token;
    /** Tells whether a hello comes from a worker this coordinator started: its index if so, -1 if not. */
    private final Function<Hello, Integer> localIndex;
    private final IntSupplier nextRemoteIndex;
    private final Function<StatusRequest, StatusReply> status;
    /** Parses the workers' messages, large ones into buffers reused from message to message. */
    private final WorkerMessageParser parser = new WorkerMessageParser(new MessageBuffers(
            // direct memory is limited to the heap's size by default (-XX:MaxDirectMemorySize), and Netty uses it too
            Math.min(MESSAGE_BUFFER_BYTES, Runtime.getRuntime().maxMemory() / 4)));
    /** How far the batch writer may fall behind the network: 16 messages of 4 MiB, the size at which a worker sends its results. */
    static final long MESSAGE_BUFFER_BYTES = 64L << 20;

    WorkerHub(Scheduler scheduler, TaskSetup setup, String token, List<DType> dtypes, Function<Hello, Integer> localIndex,
              IntSupplier nextRemoteIndex, Function<StatusRequest, StatusReply> status) {
        this.scheduler = scheduler;
        this.job = new Job(setup, List.copyOf(dtypes));
        this.token = token;
        this.localIndex = localIndex;
        this.nextRemoteIndex = nextRemoteIndex;
        this.status = status;
    }

    /** The service to serve: the workers' stream read by {@link WorkerMessageParser} instead of gRPC's default parser. */
    ServerServiceDefinition service() {
        ServerServiceDefinition generated = bindService();
        ServerServiceDefinition.Builder service = ServerServiceDefinition.builder(CoordinatorGrpc.SERVICE_NAME);
        for (ServerMethodDefinition<?, ?> method : generated.getMethods()) {
            if (method.getMethodDescriptor().getFullMethodName().equals(CoordinatorGrpc.getWorkMethod().getFullMethodName())) {
                @SuppressWarnings("unchecked")
                ServerMethodDefinition<WorkerMessage, CoordinatorMessage> work = (ServerMethodDefinition<WorkerMessage, CoordinatorMessage>) method;
                service.addMethod(work.getMethodDescriptor().toBuilder().setRequestMarshaller(parser).build(), work.getServerCallHandler());
            } else {
                service.addMethod(method);
            }
        }
        return service.build();
    }

    @Override
    public StreamObserver<WorkerMessage> work(StreamObserver<CoordinatorMessage> responses) {
        ServerCallStreamObserver<CoordinatorMessage> out = (ServerCallStreamObserver<CoordinatorMessage>) responses;
        WorkerStream stream = new WorkerStream(out);
        out.setOnCancelHandler(stream::cancelled); // only allowed before this method returns
        out.setOnReadyHandler(stream::ready); // likewise
        return stream;
    }

    /** What one worker says on its stream, passed on to the scheduler once the worker is greeted. */
    private final class WorkerStream implements StreamObserver<WorkerMessage> {
        private final ServerCallStreamObserver<CoordinatorMessage> out;
        private Job viewFor = job;
        private ResultView view = new ResultView(viewFor.dtypes());
        private volatile WorkerSession session;
        /** The task jar being sent to this worker, if any. */
        private volatile JarSender jar;

        WorkerStream(ServerCallStreamObserver<CoordinatorMessage> out) {
            this.out = out;
        }

        @Override
        public void onNext(WorkerMessage message) {
            MessageBuffers.Loan loan = parser.claim(message);
            try {
                handle(message, loan);
            } finally {
                if (loan != null) {
                    loan.release(); // the sink holds it on where it keeps rows (TaskRows.keep)
                }
            }
        }

        private void handle(WorkerMessage message, MessageBuffers.Loan loan) {
            if (session == null) {
                session = greet(message, out);
                return;
            }
            switch (message.getKindCase()) {
                case RESULTS -> scheduler.results(session, message.getResults(), view().loan(loan));
                case FAILURE -> scheduler.failure(session, message.getFailure());
                case READY -> scheduler.ready(session, seesTheBatchFiles(session, message.getReady()));
                case JAR_REQUEST -> sendJar(message.getJarRequest().getSha256());
                case HEARTBEAT -> scheduler.heartbeat(session, message.getHeartbeat().getCpuSeconds(),
                        message.getHeartbeat().getRssBytes(), message.getHeartbeat().getCurrentTask());
                default -> {
                    LOG.warn("worker {} sent an unexpected {} message: ending it", session.name(), message.getKindCase());
                    scheduler.end(session, "protocol error: unexpected " + message.getKindCase() + " message");
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            if (session != null) {
                Status status = Status.fromThrowable(t);
                scheduler.gone(session, "lost its stream (" + status.getCode()
                        + (status.getDescription() == null ? "" : ": " + status.getDescription()) + ")");
            }
        }

        @Override
        public void onCompleted() {
            if (session != null) {
                scheduler.gone(session, "ended its stream");
            } else {
                out.onCompleted();
            }
        }

        /** The view of results for the current job's dtypes. */
        private ResultView view() {
            Job now = job;
            if (now != viewFor) {
                viewFor = now;
                view = new ResultView(now.dtypes());
            }
            return view;
        }

        /** The stream has room again: go on with a jar being sent. */
        void ready() {
            JarSender sending = jar;
            if (sending != null) {
                sending.resume();
            }
        }

        /** Sends a task jar of the job, in pieces, to a worker that lacks it; only jars of the job, named by hash. */
        private void sendJar(String sha256) {
            TaskJar wanted = job.setup().getJarsList().stream().filter(j -> j.getSha256().equals(sha256)).findFirst().orElse(null);
            if (wanted == null) {
                scheduler.end(session, "asked for a jar that is not the job's: " + sha256);
                return;
            }
            LOG.info("sending task jar {} ({} bytes) to worker {}", wanted.getName(), wanted.getSize(), session.name());
            jar = new JarSender(scheduler, session, out, wanted, jarReader);
            jar.resume();
        }

        /** The call was cancelled (the worker vanished, or the server is stopping). */
        void cancelled() {
            if (session != null) {
                scheduler.gone(session, "lost its stream");
            }
        }
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusReply> responses) {
        if (token != null && !sameToken(token, request.getToken())) {
            responses.onError(Status.PERMISSION_DENIED.withDescription("wrong or missing token").asRuntimeException());
            return;
        }
        responses.onNext(status.apply(request));
        responses.onCompleted();
    }

    /** Checks a new stream's first message; returns its session, or null when the worker was refused. */
    private WorkerSession greet(WorkerMessage message, ServerCallStreamObserver<CoordinatorMessage> out) {
        if (!message.hasHello()) {
            LOG.warn("a peer opened a stream without saying hello: refused");
            out.onError(Status.INVALID_ARGUMENT.withDescription("the first message must be hello").asRuntimeException());
            return null;
        }
        Hello hello = message.getHello();
        String refusal = null;
        if (token != null && !sameToken(token, hello.getToken())) {
            refusal = "wrong or missing token (give the coordinator's token with --token, --token-file or JVMPOOL_TOKEN)";
        } else if (!Version.get().equals(hello.getVersion())) {
            refusal = "version " + hello.getVersion() + " does not match the coordinator's " + Version.get();
        }
        if (refusal != null) {
            LOG.warn("refused a worker (pid {} on {}): {}", hello.getPid(), hello.getHost(), refusal);
            out.onNext(CoordinatorMessage.newBuilder().setGoodbye(refusal).build());
            out.onCompleted();
            return null;
        }
        int local = localIndex.apply(hello);
        int index = local >= 0 ? local : nextRemoteIndex.getAsInt();
        WorkerSession session = new WorkerSession(index, hello.getPid(), hello.getHost(), local >= 0,
                scheduler.outbox(WorkerLink.of(out), local >= 0));
        session.sendNow(CoordinatorMessage.newBuilder().setSetup(job.setup().toBuilder().setWorkerIndex(index)).build());
        scheduler.join(session);
        return session;
    }

    /**
     * A worker that dialed in writes its rows into the batch files itself when it found the job's
     * output probe in its --out folder and runs on this machine's kernel (its page cache is ours).
     */
    private boolean seesTheBatchFiles(WorkerSession session, io.jvmpool.proto.Ready ready) {
        return !session.isLocal() && ready.getSeesOutFolder() && !BOOT_ID.isEmpty() && BOOT_ID.equals(ready.getBootId());
    }

    private static final String BOOT_ID = io.jvmpool.shared.BootId.get();

    /** Workers that join from now on are set up for this job (those joined already are sent it by the scheduler). */
    void retask(TaskSetup setup, List<DType> dtypes) {
        job = new Job(setup, List.copyOf(dtypes));
    }

    /** Compares tokens in constant time. */
    private static boolean sameToken(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
