package io.jvmpool.shared;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared token, as given on a command line: in a file (--token-file) or as text (--token, JVMPOOL_TOKEN). */
public final class Token {
    /** The value in the example Secret (docker/k8s/examples/token-secret.yaml): never a real token. */
    public static final String EXAMPLE_PLACEHOLDER = "change-me";

    private Token() {
    }

    /** The token from {@code file} when given, else {@code text}; null when neither holds one. */
    public static String read(String text, Path file) throws IOException {
        if (file != null) {
            String fromFile = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (fromFile.isEmpty()) {
                throw new IOException(file + " is empty");
            }
            return fromFile;
        }
        return text == null || text.isBlank() ? null : text.strip();
    }
}
