package io.jvmpool.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Compares output folders. */
public final class Folders {

    private Folders() {
    }

    /** The .npy files in a folder, by name. */
    public static List<String> npyFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy")).sorted().toList();
        }
    }

    /** Both folders hold the same .npy files with the same bytes. */
    public static void assertSameNpyFiles(Path actual, Path expected) throws IOException {
        List<String> names = npyFiles(expected);
        assertThat(names).isNotEmpty();
        assertThat(npyFiles(actual)).containsExactlyElementsOf(names);
        for (String name : names) {
            assertThat(actual.resolve(name)).as(name).hasSameBinaryContentAs(expected.resolve(name));
        }
    }

    /** No temporary or partial files: only whole outputs, the manifest and the errors file. */
    public static void assertNoTemporaryFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}
