package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Coordinator;
import io.jvmpool.testing.Numpy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jvmpool.jar, copied alone into another folder, runs the default job and starts its workers from itself. */
class StandaloneJarIT {
    @TempDir
    Path dir;

    @Test
    void jarCopiedAloneRunsTheSeedJob() throws Exception {
        Path jar = Files.copy(Path.of(System.getProperty("jvmpool.jar")), dir.resolve("jvmpool.jar"));
        Path log = dir.resolve("log.txt");
        Process p = new ProcessBuilder(Coordinator.java(), "-jar", "jvmpool.jar", "-P", "loop=1000")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        assertThat(jar).exists();
        String check = Numpy.run("""
                import sys, os, numpy as np
                out = sys.argv[1]
                for b in range(2):
                    for name, value in [('label', 1 * sum(t * t for t in range(1000))), ('feature', 2), ('maybeother', 7)]:
                        a = np.load(os.path.join(out, '%s_para_%d.npy' % (name, b)))
                        assert a.shape == (10,) and a.dtype == np.float32 and (a == np.float32(value)).all(), (name, a)
                print('ok')
                """, dir.resolve("trainset").toString());
        assertThat(check).isEqualTo("ok");
    }

    @Test
    void theJarBundlesItsClashProneLibrariesUnderItsOwnPackage() throws Exception {
        List<String> unrelocated;
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(JAR_PATH.toFile())) {
            unrelocated = jar.stream().map(java.util.jar.JarEntry::getName).filter(n -> n.endsWith(".class"))
                    .filter(n -> n.startsWith("com/google/protobuf/") || n.startsWith("com/google/common/")
                            || n.startsWith("com/google/gson/") || n.startsWith("picocli/") || n.startsWith("org/slf4j/")
                            || n.startsWith("org/apache/commons/"))
                    .limit(5).toList();
        }
        assertThat(unrelocated).as("classes an application's own versions would clash with").isEmpty();
        Process help = new ProcessBuilder(Coordinator.java(), "-jar", JAR_PATH.toString(), "--version").redirectErrorStream(true).start();
        String said = new String(help.getInputStream().readAllBytes());
        assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(said).startsWith("jvmpool ");
    }

    private static final Path JAR_PATH = Path.of(System.getProperty("jvmpool.jar"));
}
