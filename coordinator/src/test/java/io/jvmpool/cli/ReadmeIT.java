package io.jvmpool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Cli;
import io.jvmpool.testing.Readme;
import io.jvmpool.testing.Readme.Block;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README as a user follows it. Its {@code sh} blocks run in order, in a copy of the repository
 * as a fresh clone has it (the first one builds it), and what they write is covered by .gitignore;
 * blocks that need Docker, Compose, Kubernetes or Slurm are marked {@code console} and run in the
 * tests that have those (DockerWorkersIT runs the Docker block as written, SlurmIT the batch script on
 * the README's one-node cluster). Its pom builds a task project from scratch; its usage blocks are what
 * {@code --help} prints.
 */
class ReadmeIT {
    private static final Path ROOT = Path.of(System.getProperty("jvmpool.root")).toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theShellBlocksRunInTheOrderWritten() throws Exception {
        Path clone = dir.resolve("clone");
        List<String> cloned = copyAsCloned(ROOT, clone);
        // the task projects build offline, from what the README's build command put in ~/.m2
        for (String example : List.of("power-task", "image-task")) {
            Files.createDirectories(clone.resolve("examples/" + example + "/.mvn"));
            Files.writeString(clone.resolve("examples/" + example + "/.mvn/maven.config"), "--offline\n");
            cloned.add("examples/" + example + "/.mvn/maven.config");
        }
        List<String> script = new ArrayList<>(List.of("set -euxo pipefail"));
        for (Block b : Readme.blocks()) {
            if (b.kind().equals("sh")) {
                script.add(b.text());
            }
        }
        assertThat(script).as("the README has commands to run").hasSizeGreaterThan(3);
        Path log = dir.resolve("readme.log");
        Process p = new ProcessBuilder("bash", "-c", String.join("\n", script)).directory(clone.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(15, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        String said = Files.readString(log);
        assertThat(ended).as(said).isTrue();
        assertThat(p.exitValue()).as(said).isZero();
        assertThat(clone.resolve("trainset/label_para_1.npy")).exists();
        assertThat(said).as("the library example ran").contains("finished: task 2 -> 23.0");
        assertThat(notIgnored(clone, cloned)).as("every example wrote under a folder .gitignore covers").isEmpty();
        aTaskProjectFromTheReadmeAloneBuilds(dir.resolve("from-scratch"));
    }

    /** The README's pom and task class in an empty folder, built as a new user would (offline: the
     * README's first block installed the API). */
    private void aTaskProjectFromTheReadmeAloneBuilds(Path project) throws Exception {
        String pom = Readme.blocks().stream().filter(b -> b.kind().equals("xml")).map(Block::text).findFirst()
                .orElseThrow(() -> new AssertionError("the README shows no pom"));
        String task = Readme.blocks().stream().filter(b -> b.kind().equals("java") && b.text().contains("class PowerTask"))
                .map(Block::text).findFirst().orElseThrow();
        Files.createDirectories(project.resolve("src/main/java/com/example/tasks"));
        Files.writeString(project.resolve("pom.xml"), pom);
        Files.writeString(project.resolve("src/main/java/com/example/tasks/PowerTask.java"), task);
        Process mvn = new ProcessBuilder("mvn", "-B", "-q", "-o", "package").directory(project.toFile())
                .redirectErrorStream(true).start();
        String said = new String(mvn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mvn.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(mvn.exitValue()).as(said).isZero();
        try (var jar = new java.util.jar.JarFile(project.resolve("target/power-task.jar").toFile())) {
            assertThat(jar.getEntry("com/example/tasks/PowerTask.class")).isNotNull();
        }
    }

    /** Files the blocks made that .gitignore does not cover (what {@code git status} would show a user). */
    private static List<String> notIgnored(Path clone, List<String> cloned) throws Exception {
        TreeSet<String> made = new TreeSet<>();
        try (var files = Files.walk(clone)) {
            files.filter(Files::isRegularFile).map(f -> clone.relativize(f).toString()).forEach(made::add);
        }
        made.removeAll(cloned);
        Path asked = Files.writeString(clone.resolve("../made.txt"), String.join("\n", made) + "\n");
        Process git = new ProcessBuilder("git", "-C", ROOT.toString(), "check-ignore", "--no-index", "--stdin")
                .redirectInput(asked.toFile()).start();
        List<String> ignored = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        git.waitFor(1, TimeUnit.MINUTES);
        made.removeAll(ignored);
        return List.copyOf(made);
    }

    @Test
    void theJavaCodeIsTheExamplesCodeWhichTheShellBlocksBuild() throws IOException {
        List<String> classes = new ArrayList<>();
        for (Block b : Readme.blocks()) {
            Matcher name = Pattern.compile("public class (\\w+)").matcher(b.text());
            if (b.kind().equals("java") && name.find()) {
                try (var files = Files.walk(ROOT.resolve("examples"))) {
                    Path source = files.filter(f -> f.getFileName().toString().equals(name.group(1) + ".java")).findFirst()
                            .orElseThrow(() -> new AssertionError("no example holds " + name.group(1)));
                    assertThat(b.text()).as(name.group(1) + " in the README and in " + ROOT.relativize(source))
                            .isEqualTo(Files.readString(source));
                }
                classes.add(name.group(1));
            }
        }
        assertThat(classes).contains("PowerTask", "ImageTask", "SquaresWithPool");
        String pom = Readme.blocks().stream().filter(b -> b.kind().equals("xml")).map(Block::text).findFirst().orElseThrow();
        assertThat(pom).as("the README's pom is examples/power-task/pom.xml")
                .isEqualTo(Files.readString(ROOT.resolve("examples/power-task/pom.xml")));
    }

    @Test
    void theUsageBlocksAreWhatHelpPrints() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (String[] command : List.of(new String[] {"--help"}, new String[] {"status", "--help"})) {
            Cli.Result help = Cli.run(command);
            assertThat(help.exitCode()).isZero();
            String block = Readme.blocks().stream().map(Block::text).filter(t -> t.startsWith(help.out().lines().findFirst().orElseThrow()))
                    .findFirst().orElseThrow(() -> new AssertionError("no README block starts like " + String.join(" ", command)));
            assertThat(options(block)).as(String.join(" ", command) + ": the README's options")
                    .isEqualTo(options(help.out()));
            assertThat(block).as(String.join(" ", command) + " word for word").isEqualTo(help.out());
        }
    }

    private static TreeSet<String> options(String help) {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^ {2,6}(-\\w, )?(--[\\w\\[\\]-]+|-P)").matcher(help);
        while (m.find()) {
            names.add(m.group(2));
        }
        return names;
    }

    /** What a clone of the repository holds: the files git tracks or would add, none it ignores. */
    private static List<String> copyAsCloned(Path from, Path to) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "-C", from.toString(), "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .start();
        String listed = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor()).isZero();
        List<String> files = new ArrayList<>();
        for (String name : listed.split("\0")) {
            Path f = from.resolve(name);
            if (!name.isEmpty() && Files.isRegularFile(f)) {
                Files.createDirectories(to.resolve(name).getParent());
                Files.copy(f, to.resolve(name), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                files.add(name);
            }
        }
        return files;
    }
}
