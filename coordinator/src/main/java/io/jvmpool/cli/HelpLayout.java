package io.jvmpool.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Lays out {@code --help} as the README shows it: options as {@code --name LABEL}, text wrapped at
 * spaces only (picocli's own layout also breaks inside names like {@code <output>_para_<batch>.npy}).
 */
final class HelpLayout {
    /** Where the descriptions start. */
    private static final int DESCRIPTION_COLUMN = 29;

    private HelpLayout() {
    }

    /** Uses this layout for {@code cli} and each of its subcommands. */
    static void apply(CommandLine cli, int width) {
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION,
                help -> paragraphs(help.commandSpec().usageMessage().description(), width));
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                help -> options(help.commandSpec().options(), width));
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER,
                help -> paragraphs(help.commandSpec().usageMessage().footer(), width));
        cli.getHelpSectionMap().remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING);
        cli.getHelpSectionMap().remove(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST);
        cli.getSubcommands().values().forEach(sub -> apply(sub, width));
    }

    private static String options(List<OptionSpec> options, int width) {
        StringBuilder out = new StringBuilder();
        for (OptionSpec o : options) {
            if (o.hidden()) {
                continue;
            }
            String names = names(o);
            String left = (o.shortestName().startsWith("--") ? "      " : "  ") + names
                    + (o.arity().max() > 0 ? " " + o.paramLabel() : "");
            List<String> text = wrap(String.join(" ", o.description()), width - DESCRIPTION_COLUMN);
            if (left.length() + 2 > DESCRIPTION_COLUMN) {
                out.append(left).append('\n');
            } else {
                out.append(String.format("%-" + DESCRIPTION_COLUMN + "s", left)).append(text.remove(0)).append('\n');
            }
            for (String line : text) {
                out.append(" ".repeat(DESCRIPTION_COLUMN)).append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static String names(OptionSpec o) {
        List<String> names = new ArrayList<>();
        for (String n : o.names()) {
            names.add(o.negatable() && n.startsWith("--") ? "--[no-]" + n.substring(2) : n);
        }
        names.sort((a, b) -> Integer.compare(a.length(), b.length()));
        return String.join(", ", names);
    }

    private static String paragraphs(String[] paragraphs, int width) {
        StringBuilder out = new StringBuilder();
        for (String p : paragraphs) {
            for (String line : wrap(p, width)) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** Words into lines of at most {@code width} characters, broken at spaces only; an empty text is one empty line. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
