package io.jvmpool.tasks;

import java.util.Map;
import java.util.TreeMap;

/** The tasks that come with jvmpool, by the name given to {@code --task}. */
public final class BuiltinTasks {
    private static final Map<String, String> CLASSES = new TreeMap<>(Map.of(
            "seed", SeedTask.class.getName(),
            "burn", BurnTask.class.getName(),
            "trivial", TrivialTask.class.getName(),
            "array", ArrayTask.class.getName()));

    private BuiltinTasks() {
    }

    /** The class name for a built-in task name, or the argument itself when it is not one. */
    public static String className(String nameOrClass) {
        return CLASSES.getOrDefault(nameOrClass, nameOrClass);
    }

    /** The built-in names, sorted. */
    public static Iterable<String> names() {
        return CLASSES.keySet();
    }
}
