package io.jvmpool.testtasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;
import java.nio.charset.StandardCharsets;

/** Reads argument 0 as text and argument 1 as a number: outputs the text's UTF-8 bytes (padded to 16), its length, and the number. */
public class TextTask implements Task {
    @Override
    public void compute(long index, Args args, Outputs out) {
        if (!args.isText(0)) {
            throw new IllegalArgumentException("argument 0 should be text");
        }
        byte[] utf8 = args.getString(0).getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[16];
        System.arraycopy(utf8, 0, padded, 0, Math.min(16, utf8.length));
        out.set(0, padded);
        out.set(1, (long) utf8.length);
        out.set(2, args.getDouble(1));
    }
}
