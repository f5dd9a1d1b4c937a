package io.jvmpool.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a job on a warm pool prints, with each path as the user gave it: the pool opens the files at
 * the client's folder ({@link Main#local}), so the messages would name them in full, where a run in
 * that folder names them as written ({@code runs/a/label_para_0.npy}, not {@code /home/...}).
 */
final class GivenPaths {
    private GivenPaths() {
    }

    /** {@code to}, printing every path option of {@code main} that was given relative as it was given. */
    static PrintStream of(Main main, PrintStream to) {
        List<String[]> pairs = new ArrayList<>();
        if (main != null && main.cwd != null) {
            List<Path> given = new ArrayList<>(main.taskJars);
            given.add(main.out);
            given.add(main.argsFile);
            given.add(main.tokenFile);
            given.add(main.addressFile);
            given.add(main.tlsCert);
            given.add(main.tlsKey);
            for (Path p : given) {
                if (p != null && !p.isAbsolute()) {
                    pairs.add(new String[] {main.local(p).normalize().toString(), p.toString()});
                    pairs.add(new String[] {main.local(p).toString(), p.toString()});
                }
            }
        }
        if (pairs.isEmpty()) {
            return to;
        }
        pairs.sort(Comparator.comparingInt((String[] pair) -> pair[0].length()).reversed()); // longest first
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                to.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                String text = new String(b, off, len, StandardCharsets.UTF_8);
                for (String[] pair : pairs) {
                    text = text.replace(pair[0], pair[1]);
                }
                byte[] out = text.getBytes(StandardCharsets.UTF_8);
                to.write(out, 0, out.length);
            }

            @Override
            public void flush() {
                to.flush();
            }
        }, true, StandardCharsets.UTF_8);
    }
}
