package io.jvmpool.warm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a client asks of a warm pool: to run a job (its command line, and the folder, environment and
 * terminal it was started in, so that the job sees them as its own), to stop, or to say how it is.
 *
 * @param key        the pool's identity as the client sees it: the same jar, java and JVM flags
 * @param launchedAt when the client's JVM started (epoch ms): the origin of run.json's milestones
 * @param rows       the client's terminal size, 0 x 0 when it has none
 */
public record WarmRequest(Kind kind, String key, List<String> argv, String cwd, Map<String, String> env, boolean stdoutTty,
                          boolean stderrTty, int rows, int columns, long launchedAt) {
    /** What the client asks for. */
    public enum Kind { RUN, STOP, STATUS }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(Frames.MAGIC);
        out.writeInt(Frames.VERSION);
        out.writeByte(kind.ordinal());
        Frames.writeString(out, key);
        out.writeInt(argv.size());
        for (String a : argv) {
            Frames.writeString(out, a);
        }
        Frames.writeString(out, cwd);
        out.writeInt(env.size());
        for (Map.Entry<String, String> e : env.entrySet()) {
            Frames.writeString(out, e.getKey());
            Frames.writeString(out, e.getValue());
        }
        out.writeBoolean(stdoutTty);
        out.writeBoolean(stderrTty);
        out.writeInt(rows);
        out.writeInt(columns);
        out.writeLong(launchedAt);
        out.flush();
    }

    static WarmRequest read(DataInputStream in) throws IOException {
        if (in.readInt() != Frames.MAGIC) {
            throw new IOException("not a jvmpool client");
        }
        int version = in.readInt();
        if (version != Frames.VERSION) {
            throw new IOException("a client of protocol " + version + ", this pool speaks " + Frames.VERSION);
        }
        int kind = in.readByte();
        if (kind < 0 || kind >= Kind.values().length) {
            throw new IOException("an unknown request " + kind);
        }
        String key = Frames.readString(in);
        int n = in.readInt();
        if (n < 0 || n > 100_000) {
            throw new IOException("a command line of " + n + " words");
        }
        List<String> argv = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            argv.add(Frames.readString(in));
        }
        String cwd = Frames.readString(in);
        int m = in.readInt();
        if (m < 0 || m > 10_000) {
            throw new IOException("an environment of " + m + " variables");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) {
            env.put(Frames.readString(in), Frames.readString(in));
        }
        return new WarmRequest(Kind.values()[kind], key, List.copyOf(argv), cwd, Map.copyOf(env), in.readBoolean(), in.readBoolean(),
                in.readInt(), in.readInt(), in.readLong());
    }
}
