package io.jvmpool.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hosts made of network namespaces: a coordinator host and {@code n} worker hosts, each linked to
 * the coordinator host by its own veth pair (worker host {@code i} is 10.77.i.2, and reaches the
 * coordinator host at 10.77.i.1). Every address lives only inside namespaces made here; all are
 * removed on close. Needs root (as CI runs); elsewhere the test is skipped, under CI=true it fails.
 */
public final class NetworkHosts implements AutoCloseable {
    private final String prefix = "jvp" + ProcessHandle.current().pid() % 100000;
    private final List<String> namespaces = new ArrayList<>();
    private final int hosts;

    private NetworkHosts(int hosts) throws IOException, InterruptedException {
        this.hosts = hosts;
        add(coordinatorHost());
        for (int i = 1; i <= hosts; i++) {
            add(workerHost(i));
            String link = prefix + "c" + i;
            ip("link", "add", link, "netns", coordinatorHost(), "type", "veth", "peer", "name", "eth0", "netns", workerHost(i));
            ip("-n", coordinatorHost(), "addr", "add", "10.77." + i + ".1/24", "dev", link);
            ip("-n", coordinatorHost(), "link", "set", link, "up");
            ip("-n", workerHost(i), "addr", "add", "10.77." + i + ".2/24", "dev", "eth0");
            ip("-n", workerHost(i), "link", "set", "eth0", "up");
        }
    }

    /** Makes the hosts, or skips the test where namespaces can't be made. */
    public static NetworkHosts create(int workerHosts) throws IOException, InterruptedException {
        Need.ROOT.require();
        NetworkHosts made = null;
        try {
            made = new NetworkHosts(workerHosts);
            return made;
        } finally {
            if (made == null) {
                // a half-made set: remove what there is
                for (String ns : List.of("c", "h1", "h2", "h3", "h4")) {
                    run(false, "ip", "netns", "del", "jvp" + ProcessHandle.current().pid() % 100000 + ns);
                }
            }
        }
    }

    public String coordinatorHost() {
        return prefix + "c";
    }

    public String workerHost(int i) {
        return prefix + "h" + i;
    }

    /** The coordinator host's address as worker host {@code i} reaches it. */
    public static String coordinatorAddress(int i) {
        return "10.77." + i + ".1";
    }

    /** Starts {@code command} inside namespace {@code host}, its output in {@code log}. */
    public Process start(String host, Path log, List<String> command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", host));
        full.addAll(command);
        return new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Takes worker host {@code i}'s link down or up again. */
    public void link(int i, boolean up) throws IOException, InterruptedException {
        ip("-n", workerHost(i), "link", "set", "eth0", up ? "up" : "down");
    }

    private void add(String ns) throws IOException, InterruptedException {
        ip("netns", "add", ns);
        namespaces.add(ns);
        ip("-n", ns, "link", "set", "lo", "up");
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(true, command.toArray(String[]::new));
    }

    private static void run(boolean check, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        if (check) {
            assertThat(p.exitValue()).as(String.join(" ", command) + ": " + said).isZero();
        }
    }

    /** Removes every namespace (and so every veth and address) made here. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (String ns : namespaces) {
            run(false, "ip", "netns", "del", ns);
        }
    }

    public int hosts() {
        return hosts;
    }
}
