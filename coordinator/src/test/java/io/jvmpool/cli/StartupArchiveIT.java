package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Folders;
import io.jvmpool.testing.Need;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The start-up archives are an optimisation that never fails a job: a damaged one is found and made
 * anew, a full or read-only cache disk changes no exit code, and no crash report lands in the user's folder.
 */
class StartupArchiveIT {
    private static final Path JAR = Path.of(System.getProperty("jvmpool.jar"));
    private static final String[] JOB = {"-P", "loop=1000", "--workers", "2", "-q"};

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private Run run(String java, Path cache, String out) throws Exception {
        List<String> command = new ArrayList<>(List.of(java, "-jar", JAR.toString()));
        command.addAll(List.of(JOB));
        command.addAll(List.of("--out", out));
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile());
        b.environment().put("XDG_CACHE_HOME", cache.toString());
        Path o = Files.createTempFile(dir, "out", ".txt");
        Path e = Files.createTempFile(dir, "err", ".txt");
        Process p = b.redirectOutput(o.toFile()).redirectError(e.toFile()).start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(o), Files.readString(e));
    }

    private static Path archive(Path cache, String role) throws IOException {
        try (Stream<Path> files = Files.list(cache.resolve("jvmpool/cds"))) {
            return files.filter(p -> p.getFileName().toString().matches(role + "-\\p{XDigit}+\\.(jsa|aot)")).findFirst().orElseThrow();
        }
    }

    @ParameterizedTest
    @CsvSource({"coordinator, truncated", "coordinator, random", "worker, truncated", "worker, random"})
    void aDamagedArchiveIsRunWithoutSaidOnceAndMadeAnew(String role, String damage) throws Exception {
        Path cache = dir.resolve("cache");
        Run first = run(Coordinator.java(), cache, "first");
        assertThat(first.code()).as(first.err()).isZero();
        Path archive = archive(cache, role);
        long size = Files.size(archive);
        archive.toFile().setWritable(true);
        if (damage.equals("truncated")) {
            try (var channel = java.nio.channels.FileChannel.open(archive, java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(size / 3);
            }
        } else {
            byte[] noise = new byte[(int) size];
            new Random(1).nextBytes(noise);
            Files.write(archive, noise);
        }
        Run damaged = run(Coordinator.java(), cache, "damaged");
        assertThat(damaged.code()).as(damaged.err()).isZero();
        assertThat(damaged.err().lines().filter(l -> l.contains("class data archive")).toList()).as(damaged.err())
                .singleElement().asString().contains("was damaged");
        Folders.assertSameNpyFiles(dir.resolve("damaged"), dir.resolve("first"));
        Path remade = archive(cache, role);
        assertThat(Files.readString(remade.resolveSibling(remade.getFileName() + ".sum")))
                .as("made anew, whole, with its record").startsWith(Files.size(remade) + " ");
        assertThat(Files.size(remade)).isGreaterThan(size / 2);
        Run again = run(Coordinator.java(), cache, "again");
        assertThat(again.code()).isZero();
        assertThat(again.err()).doesNotContain("class data archive");
        assertNoCrashReports();
    }

    @Test
    void aFullCacheDiskChangesNoExitCode() throws Exception {
        Need.ROOT.require();
        Path cache = Files.createDirectories(dir.resolve("tiny"));
        mount(cache);
        try {
            for (String out : List.of("one", "two")) {
                Run r = run(Coordinator.java(), cache, out);
                assertThat(r.code()).as(r.err()).isZero();
                assertThat(r.err()).doesNotContain("shared archive").doesNotContain("Unable to write");
            }
            Folders.assertSameNpyFiles(dir.resolve("two"), dir.resolve("one"));
        } finally {
            new ProcessBuilder("umount", cache.toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
        assertNoCrashReports();
    }

    @Test
    void onJava25TheDefaultJobPrintsNothingButItsSummary() throws Exception {
        Path java25 = Stream.of("/usr/lib/jvm").map(Path::of).filter(Files::isDirectory).flatMap(d -> {
            try {
                return Files.list(d);
            } catch (IOException e) {
                return Stream.empty();
            }
        }).filter(p -> p.getFileName().toString().matches("temurin-2[5-9].*")).map(p -> p.resolve("bin/java")).filter(Files::isExecutable)
                .findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(java25 != null, "no Java 25 here");
        Path cache = dir.resolve("cache25");
        for (String out : List.of("first25", "then25")) {
            Run r = run(java25.toString(), cache, out);
            assertThat(r.code()).as(r.err()).isZero();
            List<String> said = r.err().lines().filter(l -> !l.startsWith("jvmpool: first run: preparing")).toList();
            assertThat(said).as("stderr of " + out).singleElement().asString().startsWith("jvmpool: 20 tasks in 2 batches done");
        }
    }

    private void assertNoCrashReports() throws IOException {
        try (Stream<Path> files = Files.walk(dir, 1)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err"));
        }
    }

    private static void mount(Path where) throws Exception {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", where.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }
}
