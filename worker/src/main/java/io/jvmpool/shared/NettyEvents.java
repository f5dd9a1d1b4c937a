package io.jvmpool.shared;

/**
 * Turns off the JFR events of gRPC's Netty (buffer and chunk allocations) unless the user asked
 * for them. Deciding whether to emit them loads and initialises the JDK's flight recorder: about
 * 0.2 CPU-seconds in every coordinator and worker at its first connection, measured with
 * {@code -Xlog:class+load}, for events nobody records. Call it before the first gRPC channel or
 * server: Netty reads the setting once.
 */
public final class NettyEvents {
    /** gRPC's shaded Netty reads its {@code io.netty.jfr.enabled} under this name. */
    public static final String PROPERTY = "io.grpc.netty.shaded.io.netty.jfr.enabled";

    private NettyEvents() {
    }

    public static void offUnlessAsked() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "false");
        }
    }
}
