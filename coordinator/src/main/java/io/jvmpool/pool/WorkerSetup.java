package io.jvmpool.pool;

import io.jvmpool.proto.TaskSetup;
import io.jvmpool.proto.TaskJar;
import io.jvmpool.shared.Checksums;
import io.jvmpool.shared.Tls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What workers are told from the pool's options: their setup, TLS flags for local workers, the heartbeat interval. */
final class WorkerSetup {
    private WorkerSetup() {
    }

    /** What every worker is told on joining (its setup): the task, its jars and properties, the output format. */
    static TaskSetup setup(PoolOptions options) throws IOException {
        List<TaskJar> jars = new ArrayList<>();
        for (Path jar : options.taskJars) {
            Path p = jar.toAbsolutePath().normalize();
            jars.add(TaskJar.newBuilder().setName(p.getFileName().toString()).setSha256(Checksums.sha256(p))
                    .setSize(Files.size(p)).setPath(p.toString()).build());
        }
        TaskSetup.Builder setup = TaskSetup.newBuilder().setTask(options.task).addAllJars(jars).putAllProperties(options.properties)
                .setDtype(options.dtype.wire()).setOutputs(options.outputs).setHeartbeatMillis(heartbeatMillis(options))
                .addAllArgNames(options.argNames);
        if (options.outProbe != null) {
            setup.setOutProbe(options.outProbe).setOutSecret(com.google.protobuf.ByteString.copyFrom(options.outSecret));
        }
        if (options.dtypes().stream().anyMatch(t -> t != options.dtype)) {
            options.dtypes().forEach(t -> setup.addOutputDtypes(t.wire()));
        }
        return setup.build();
    }

    /** What local workers need to speak TLS to us: our certificate to trust, and the name in it. */
    static List<String> tlsArguments(PoolOptions options) throws IOException {
        if (options.tlsCertificate == null) {
            return List.of();
        }
        List<String> args = new ArrayList<>(List.of("--tls-ca", options.tlsCertificate.toAbsolutePath().toString()));
        String authority = Tls.authorityFor(options.tlsCertificate);
        if (authority != null) {
            args.addAll(List.of("--tls-authority", authority));
        }
        return args;
    }

    /** Heartbeats often enough to notice a task timeout in time, at most once a second. */
    static int heartbeatMillis(PoolOptions options) {
        long millis = options.taskTimeout.isZero() ? 1000 : options.taskTimeout.toMillis() / 4;
        return (int) Math.max(50, Math.min(1000, Math.min(millis, options.silenceLimit.toMillis() / 4)));
    }
}
