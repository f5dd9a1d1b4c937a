package io.jvmpool.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles a user's task source against the task API and packs it into a jar, as a user's build would. */
public final class TaskJars {

    private TaskJars() {
    }

    /** Compiles {@code source} (a public class {@code className}) into {@code dir/name.jar}. */
    public static Path build(Path dir, String name, String className, String source) throws IOException {
        return build(dir, name, className, source, System.getProperty("java.class.path"));
    }

    /** As {@link #build}, against the task API alone ({@code jvmpool-api}), as a task project is built. */
    public static Path buildAgainstApi(Path dir, String name, String className, String source) throws IOException {
        String api = classPath().stream().filter(e -> Files.exists(Path.of(e).resolve("io/jvmpool/api/Task.class"))
                || e.matches(".*jvmpool-api[^" + java.io.File.separator + "]*\\.jar")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no jvmpool-api on the class path"));
        return build(dir, name, className, source, api);
    }

    private static Path build(Path dir, String name, String className, String source, String classPath) throws IOException {
        Path src = dir.resolve(name + "-src").resolve(className.replace('.', '/') + ".java");
        Path classes = dir.resolve(name + "-classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "17", "-d", classes.toString(), "-cp", classPath, src.toString());
        if (rc != 0) {
            throw new IllegalStateException("javac failed on " + src);
        }
        Path jar = dir.resolve(name + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                try (var in = Files.newInputStream(f)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    /** Writes a jar with one entry that is not a class, for tests that need a jar without the task. */
    public static Path empty(Path dir) throws IOException {
        Path jar = dir.resolve("empty.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("readme.txt"));
            OutputStream o = out;
            o.write("nothing".getBytes());
            out.closeEntry();
        }
        return jar;
    }

    /** The class path of this test JVM, as a list. */
    public static List<String> classPath() {
        return List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
    }
}
