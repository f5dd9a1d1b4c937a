package io.jvmpool.testtasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;
import java.io.PrintStream;
import java.util.Map;

/**
 * Prints what {@code -P} says before returning its index: {@code -P line=N} N bytes of 'x' with no
 * newline (to stderr), {@code -P text=...} that text as it is (Java escapes \\e, \\r, \\n, \\a understood).
 */
public class ChattyTask implements Task {
    private long lineBytes;
    private String text = "";

    @Override
    public void setup(Map<String, String> properties) {
        lineBytes = Long.parseLong(properties.getOrDefault("line", "0"));
        text = properties.getOrDefault("text", "").replace("\\e", "\u001b").replace("\\r", "\r").replace("\\n", "\n")
                .replace("\\a", "\u0007");
    }

    @Override
    public void compute(long index, Args args, Outputs out) {
        PrintStream err = System.err;
        if (lineBytes > 0) {
            byte[] chunk = new byte[1 << 16];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (long left = lineBytes; left > 0; left -= chunk.length) {
                err.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            err.flush();
        }
        if (!text.isEmpty()) {
            err.print(text);
            err.flush();
        }
        out.set(0, index);
    }
}
