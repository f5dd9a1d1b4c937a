package io.jvmpool.cli;

/** An {@code ADDR:PORT} from the command line. */
record HostPort(String host, int port) {

    static HostPort parse(String flag, String text) throws UsageException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new UsageException(flag + " '" + text + "' is not ADDR:PORT (e.g. 127.0.0.1:7070, 0.0.0.0:7070, localhost:0)");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " '" + text + "': the port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new UsageException(flag + " '" + text + "': the port must be 0-65535");
        }
        return new HostPort(host, port);
    }

    /** True when the host, resolved, is a loopback address (a name such as localhost included). */
    boolean resolvesToLoopback() throws java.net.UnknownHostException {
        return java.net.InetAddress.getByName(host).isLoopbackAddress();
    }

    /** True for addresses only this machine can reach. */
    boolean isLoopback() {
        return io.jvmpool.job.TokenRule.isLoopback(host);
    }
}
