package io.jvmpool.cli;

import io.jvmpool.job.CoordinatorRegistry;
import io.jvmpool.pool.PoolSnapshot;
import io.jvmpool.pool.StatusClient;
import io.jvmpool.progress.LiveView;
import io.jvmpool.shared.Token;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jvmpool status}: the live table of a job running in another terminal. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false, separator = " ", usageHelpWidth = Main.HELP_WIDTH,
        customSynopsis = "java -jar jvmpool.jar status [OPTIONS]",
        description = {"Prints the progress and the workers of a running jvmpool job. Without --coordinator it finds "
                + "the job running on this machine under your user, and lists your warm pools (--keep-warm).", ""},
        footer = {"", "Exit codes: 0 printed, 1 no job answered (and no warm pool), 2 bad usage."})
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Main parent;

    @Option(names = "--coordinator", paramLabel = "HOST:PORT", description = "The job's address (its log's first line gives it).")
    String coordinator;

    @Option(names = "--token", paramLabel = "T", defaultValue = "${env:JVMPOOL_TOKEN}",
            description = "The job's token, if it has one (env JVMPOOL_TOKEN).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from this file.")
    Path tokenFile;

    @Option(names = "--tls-ca", paramLabel = "PEM", description = "The job serves TLS: trust this certificate (or its CA).")
    Path tlsCa;

    @Option(names = "--tls-authority", paramLabel = "NAME", description = "The name in the job's certificate, when not its host.")
    String tlsAuthority;

    @Override
    public Integer call() throws Exception {
        PrintStream out = parent.stdout();
        PrintStream err = parent.stderr();
        String address = coordinator;
        if (address == null) {
            List<String> warm = io.jvmpool.warm.WarmClient.describeAll();
            warm.forEach(out::println);
            List<CoordinatorRegistry.Entry> running = CoordinatorRegistry.running();
            if (running.isEmpty() && !warm.isEmpty()) {
                return Main.EXIT_OK;
            }
            if (running.isEmpty()) {
                err.println("jvmpool: no running jvmpool job found on this machine; give --coordinator HOST:PORT");
                return Main.EXIT_FAILED;
            }
            if (running.size() > 1) {
                err.println("jvmpool: " + running.size() + " jobs are running; give --coordinator with one of: "
                        + running.stream().map(e -> e.address() + " (pid " + e.pid() + ")").collect(Collectors.joining(", ")));
                return Main.EXIT_USAGE;
            }
            address = running.get(0).address();
        }
        try {
            HostPort.parse("--coordinator", address);
        } catch (UsageException e) {
            err.println("jvmpool: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        try {
            print(out, address, StatusClient.fetch(address, readToken(), tlsCa, tlsAuthority));
            return Main.EXIT_OK;
        } catch (StatusClient.NoAnswer e) {
            err.println("jvmpool: " + e.getMessage());
            return Main.EXIT_FAILED;
        }
    }

    private String readToken() throws IOException {
        String t = Token.read(token, tokenFile);
        return t == null ? "" : t;
    }

    private static void print(PrintStream out, String address, PoolSnapshot snapshot) {
        out.println("jvmpool job at " + address + ": task " + snapshot.task() + ", " + snapshot.tasksFailed() + " failed, "
                + snapshot.tasksRetried() + " retried");
        out.println(LiveView.bar(snapshot));
        LiveView.table(snapshot.workers()).forEach(out::println);
    }
}
