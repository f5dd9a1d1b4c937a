package io.jvmpool.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The README's fenced blocks, for the tests that run or compare them as written. */
public final class Readme {
    private static final Pattern BLOCK = Pattern.compile("(?ms)^( *)```(\\w*)\\n(.*?)^ *```$");

    /** One fenced block: its info string ({@code sh}, {@code console}, {@code java}...) and its text, unindented. */
    public record Block(String kind, String text) {
    }

    private Readme() {
    }

    public static Path path() {
        return Path.of(System.getProperty("jvmpool.root")).toAbsolutePath().normalize().resolve("README.md");
    }

    public static List<Block> blocks() throws IOException {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(Files.readString(path(), StandardCharsets.UTF_8));
        while (m.find()) {
            String indent = m.group(1);
            out.add(new Block(m.group(2), m.group(3).replaceAll("(?m)^" + indent, "")));
        }
        return out;
    }

    /** The one block of {@code kind} that holds {@code text}; fails when there is none. */
    public static String block(String kind, String text) throws IOException {
        return blocks().stream().filter(b -> b.kind().equals(kind) && b.text().contains(text)).map(Block::text).findFirst()
                .orElseThrow(() -> new AssertionError("the README has no " + kind + " block with " + text));
    }
}
