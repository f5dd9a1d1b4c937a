package io.jvmpool.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TCP proxy that holds every chunk for a fixed delay in each direction, to add latency to one
 * link (this kernel has no netem). Run as its own process: {@code DelayProxy LISTEN_HOST:PORT TARGET_HOST:PORT MILLIS}.
 */
public final class DelayProxy {
    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private static final Chunk END = new Chunk(new byte[0], 0);

    private DelayProxy() {
    }

    public static void main(String[] args) throws IOException {
        String[] listen = args[0].split(":");
        String[] target = args[1].split(":");
        long delayNanos = Long.parseLong(args[2]) * 1_000_000L;
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(listen[0], Integer.parseInt(listen[1])));
            System.out.println("listening");
            while (true) {
                Socket client = server.accept();
                Socket upstream;
                try {
                    upstream = new Socket(target[0], Integer.parseInt(target[1]));
                } catch (IOException notYet) { // nothing listens there yet: as if refused, and the client retries
                    client.close();
                    continue;
                }
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                pump(client, upstream, delayNanos);
                pump(upstream, client, delayNanos);
            }
        }
    }

    /** Copies from one socket to the other, each chunk delayed: one thread reads, one writes when due. */
    private static void pump(Socket from, Socket to, long delayNanos) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    queue.add(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + delayNanos));
                }
            } catch (IOException e) {
                // the connection is gone
            }
            queue.add(END);
        });
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = to.getOutputStream();
                for (Chunk c = queue.take(); c != END; c = queue.take()) {
                    long wait = c.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    }
                    out.write(c.bytes());
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException | InterruptedException e) {
                // the connection is gone
            }
        });
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }
}
