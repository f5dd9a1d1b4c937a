package io.jvmpool.warm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The messages of a warm pool's socket after the request: from the pool, the job's standard output
 * and error as they are written, then its exit code; from the client, the signals it gets and its
 * terminal's new size. Each is a type byte, then its fields.
 */
final class Frames {
    static final int MAGIC = 0x4a56504c; // "JVPL"
    static final int VERSION = 1;

    // the pool's answer to a request
    static final byte ACCEPTED = 1;
    static final byte DECLINED = 2;
    static final byte BUSY = 3;
    // from the pool while a job runs
    static final byte OUT = 10;
    static final byte ERR = 11;
    static final byte EXIT = 12;
    // from the client while its job runs
    static final byte SIGNAL = 20;
    static final byte SIZE = 21;

    private Frames() {
    }

    /**
     * The socket's bytes as a stream. Not {@code Channels.newInputStream}: its streams of one channel
     * take one lock, so a thread blocked reading would keep every writer out.
     */
    static DataInputStream input(java.nio.channels.SocketChannel channel) {
        return new DataInputStream(new java.io.BufferedInputStream(new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : channel.read(java.nio.ByteBuffer.wrap(b, off, len));
            }
        }));
    }

    /** The socket as a stream to write to, buffered: flush to send. */
    static DataOutputStream output(java.nio.channels.SocketChannel channel) {
        return new DataOutputStream(new java.io.BufferedOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        }, 1 << 16));
    }

    static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 64 << 20) {
            throw new IOException("a string of " + n + " bytes: not a warm pool's message");
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    /** A job's standard output or error: each write is one frame, sent whole (the socket's writers take turns). */
    static final class Stream extends OutputStream {
        private final DataOutputStream socket;
        private final byte type;

        Stream(DataOutputStream socket, byte type) {
            this.socket = socket;
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            synchronized (socket) {
                socket.writeByte(type);
                socket.writeInt(len);
                socket.write(b, off, len);
                socket.flush();
            }
        }
    }
}
