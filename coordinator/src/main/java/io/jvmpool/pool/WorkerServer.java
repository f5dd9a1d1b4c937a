package io.jvmpool.pool;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.protobuf.services.HealthStatusManager;
import io.jvmpool.proto.CoordinatorGrpc;
import io.jvmpool.shared.LogTimes;
import io.jvmpool.shared.NettyEvents;
import io.jvmpool.shared.Wire;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server workers dial: the worker service, the standard health service, and a log of
 * strangers. Its network threads are its own, ended with it: gRPC's shared ones outlive a server
 * by a second, blocked in epoll, and a JVM that exits while a thread is blocked in native code
 * waits 300 ms for it (HotSpot's VM_Exit), which every job paid at its end.
 */
final class WorkerServer implements AutoCloseable {
    private final Server server;
    private final HealthStatusManager health;
    private final String host;
    private final EventLoopGroup boss;
    private final EventLoopGroup network;

    private WorkerServer(Server server, HealthStatusManager health, String host, EventLoopGroup boss, EventLoopGroup network) {
        this.server = server;
        this.health = health;
        this.host = host;
        this.boss = boss;
        this.network = network;
    }

    /** Nothing can listen where the options say (the port is taken, or the address is not this machine's). */
    static final class CantListen extends IOException {
        CantListen(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Listens where the options say, serving {@code hub}. */
    static WorkerServer start(PoolOptions options, ServerServiceDefinition hub) throws CantListen {
        NettyEvents.offUnlessAsked(); // for programs that use the Pool without the CLI
        LogTimes.timeOfDay();
        HealthStatusManager health = new HealthStatusManager();
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup boss = epoll ? new EpollEventLoopGroup(1, threads("jvmpool-accept")) : new NioEventLoopGroup(1, threads("jvmpool-accept"));
        EventLoopGroup network = epoll ? new EpollEventLoopGroup(0, threads("jvmpool-network")) : new NioEventLoopGroup(0, threads("jvmpool-network"));
        try {
            NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(options.listenHost, options.listenPort))
                    .bossEventLoopGroup(boss)
                    .workerEventLoopGroup(network)
                    .channelType(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
            if (options.tlsCertificate != null) {
                builder.sslContext(GrpcSslContexts.forServer(options.tlsCertificate.toFile(), options.tlsKey.toFile()).build());
            }
            Server server = builder
                    .addService(hub)
                    .addService(health.getHealthService())
                    .addTransportFilter(new StrangerFilter())
                    .maxInboundMessageSize(options.maxMessageBytes)
                    .flowControlWindow(Wire.FLOW_CONTROL_WINDOW)
                    // the handlers never block: running them on the network thread saves a thread hand-off per message
                    .directExecutor()
                    .permitKeepAliveTime(10, TimeUnit.SECONDS)
                    .permitKeepAliveWithoutCalls(true)
                    .build()
                    .start();
            health.setStatus("", HealthCheckResponse.ServingStatus.SERVING);
            health.setStatus(CoordinatorGrpc.SERVICE_NAME, HealthCheckResponse.ServingStatus.SERVING);
            return new WorkerServer(server, health, options.listenHost, boss, network);
        } catch (IOException e) {
            shutDown(boss, network);
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new CantListen("can't listen on " + options.listenHost + ":" + options.listenPort + " ("
                    + cause.getMessage() + ")" + (cause instanceof BindException ? ": choose another port" : ""), e);
        }
    }

    private static ThreadFactory threads(String name) {
        return new DefaultThreadFactory(name, true);
    }

    int port() {
        return server.getPort();
    }

    /** The address this machine's own workers dial: loopback when listening on every interface. */
    String localDialAddress() {
        return (host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host) + ":" + port();
    }

    /** Says NOT_SERVING to health checks from now on. */
    void stopping() {
        health.enterTerminalState();
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutDown(boss, network);
    }

    /** Ends the network threads now (no quiet period) and waits a moment for them to be gone. */
    private static void shutDown(EventLoopGroup... groups) {
        for (EventLoopGroup g : groups) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        for (EventLoopGroup g : groups) {
            g.terminationFuture().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }
}
