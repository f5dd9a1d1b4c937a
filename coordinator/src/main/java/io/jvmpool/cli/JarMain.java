package io.jvmpool.cli;

import io.jvmpool.boot.Relaunch;
import java.util.OptionalInt;

/**
 * The entry point of {@code java -jar jvmpool.jar}: a job runs in a second JVM started with the
 * coordinator's class data archive ({@link Relaunch}); anything else, or where that can't be, runs
 * {@link Main} here. Kept small, so that this JVM loads next to nothing before it relaunches.
 */
public final class JarMain {
    private JarMain() {
    }

    public static void main(String[] argv) {
        OptionalInt relaunched = Relaunch.run(argv);
        if (relaunched.isPresent()) {
            System.exit(relaunched.getAsInt());
        }
        Main.main(argv);
    }
}
