package io.jvmpool.cli;

import io.jvmpool.boot.Relaunch;
import io.jvmpool.warm.WarmClient;
import java.util.OptionalInt;

/**
 * The entry point of {@code java -jar jvmpool.jar}: a job runs on a warm pool of the user's when one
 * fits it ({@link WarmClient}), else in a second JVM started with the coordinator's class data
 * archive ({@link Relaunch}); anything else, or where that can't be, runs {@link Main} here. Kept
 * small, so that this JVM loads next to nothing before it hands the job on.
 */
public final class JarMain {
    private JarMain() {
    }

    public static void main(String[] argv) {
        OptionalInt warm = WarmClient.run(argv);
        if (warm.isPresent()) {
            System.exit(warm.getAsInt());
        }
        OptionalInt relaunched = Relaunch.run(argv);
        if (relaunched.isPresent()) {
            System.exit(relaunched.getAsInt());
        }
        Main.main(argv);
    }
}
