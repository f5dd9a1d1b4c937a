package io.jvmpool.cli;

import io.jvmpool.warm.WarmClient;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code jvmpool stop}: ends the user's warm pools on this machine. */
@Command(name = "stop", mixinStandardHelpOptions = true, usageHelpWidth = Main.HELP_WIDTH,
        customSynopsis = "java -jar jvmpool.jar stop",
        description = {"Ends your warm pools on this machine (started with --keep-warm) and their workers; a job running "
                + "on one is interrupted as by Ctrl-C.", ""},
        footer = {"", "Exit code: 0."})
final class StopCommand implements Callable<Integer> {
    @ParentCommand
    Main parent;

    @Override
    public Integer call() {
        PrintStream out = parent.stdout();
        int stopped = WarmClient.stopAll(out);
        out.println(stopped == 0 ? "jvmpool: no warm pool runs" : "jvmpool: stopped " + stopped + " warm pool" + (stopped == 1 ? "" : "s"));
        return Main.EXIT_OK;
    }
}
