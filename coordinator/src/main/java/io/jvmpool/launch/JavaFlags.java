package io.jvmpool.launch;

import java.util.ArrayList;
import java.util.List;

/**
 * Flags every JVM jvmpool starts itself gets (the relaunched coordinator, the workers): its crash
 * report goes to jvmpool's cache, never into the folder the user runs in; and on Java 24 and later,
 * the native access and {@code sun.misc.Unsafe} that gRPC's Netty and protobuf use are allowed, so
 * that the JVM does not warn about them on every run.
 */
public final class JavaFlags {
    private JavaFlags() {
    }

    public static List<String> forJvmpool() {
        List<String> flags = new ArrayList<>();
        String crashReport = ClassDataArchive.crashReportFlag();
        if (crashReport != null) {
            flags.add(crashReport);
        }
        if (Runtime.version().feature() >= 24) {
            flags.add("--enable-native-access=ALL-UNNAMED");
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags;
    }
}
