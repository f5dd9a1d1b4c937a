package io.jvmpool.job;

import io.jvmpool.output.AtomicFile;
import io.jvmpool.output.BatchAssembler;
import io.jvmpool.output.BatchPlan;
import io.jvmpool.rows.DType;
import io.jvmpool.worker.TaskLoader;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a job must satisfy before any worker starts: output names that make file names, and sizes
 * that this machine and the file formats can hold. Each check names the option as the caller
 * calls it ({@code outputs}, {@code --outputs}).
 */
public final class JobChecks {
    private static final Pattern OUTPUT_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private JobChecks() {
    }

    /**
     * Loads the task class (a built-in name or a class in {@code jars}) without running any of its code.
     *
     * @throws IllegalArgumentException when it can't be found, does not implement the task API or can't be made
     */
    public static void task(String nameOrClass, List<java.nio.file.Path> jars) {
        TaskLoader.find(nameOrClass, TaskLoader.classLoader(jars));
    }

    /**
     * The task's name as the workers are to load it: as given, or for a class given by its simple
     * name ({@code Grid}), the one class of that name in the task jars that implements the task API.
     *
     * @throws IllegalArgumentException when no task is found (naming the candidates, when there are several)
     */
    public static String resolveTask(String nameOrClass, List<java.nio.file.Path> jars) {
        ClassLoader loader = TaskLoader.classLoader(jars);
        try {
            TaskLoader.find(nameOrClass, loader);
            return nameOrClass;
        } catch (IllegalArgumentException notFound) {
            if (nameOrClass.contains(".") || !notFound.getMessage().startsWith("no task named")) {
                throw notFound;
            }
            List<String> tasks = new java.util.ArrayList<>();
            for (String candidate : classesNamed(nameOrClass, jars)) {
                try {
                    TaskLoader.find(candidate, loader);
                    tasks.add(candidate);
                } catch (IllegalArgumentException e) {
                    // not a task: not a candidate
                }
            }
            if (tasks.size() == 1) {
                return tasks.get(0);
            }
            throw new IllegalArgumentException(tasks.isEmpty() ? notFound.getMessage()
                    : "no task named '" + nameOrClass + "': the task jars hold several, give the whole name: " + String.join(", ", tasks));
        }
    }

    /** The classes of the jars whose simple name is {@code name}, as class names. */
    private static List<String> classesNamed(String name, List<java.nio.file.Path> jars) {
        List<String> found = new java.util.ArrayList<>();
        for (java.nio.file.Path jar : jars) {
            try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
                file.stream().map(java.util.jar.JarEntry::getName)
                        .filter(e -> e.equals(name + ".class") || e.endsWith("/" + name + ".class"))
                        .forEach(e -> found.add(e.substring(0, e.length() - ".class".length()).replace('/', '.')));
            } catch (java.io.IOException e) {
                // a jar that can't be read is said elsewhere
            }
        }
        return found;
    }

    /**
     * The outputs the task declares ({@code Task.outputs()}; empty when it declares none). A task class
     * that declares them is instantiated for this, in this JVM.
     *
     * @throws IllegalArgumentException when it can't be found, or saying its outputs fails
     */
    public static List<io.jvmpool.api.Output> declaredOutputs(String nameOrClass, List<java.nio.file.Path> jars) {
        return TaskLoader.declaredOutputs(TaskLoader.find(nameOrClass, TaskLoader.classLoader(jars)));
    }

    /** @throws IllegalArgumentException when a name is empty, not a usable file name, or given twice */
    public static void outputs(List<String> outputs, String option) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException(option + " needs at least one name");
        }
        for (String name : outputs) {
            if (!OUTPUT_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(option + ": '" + name + "' is not a usable file name (letters, digits, _ . - only)");
            }
        }
        if (new HashSet<>(outputs).size() != outputs.size()) {
            throw new IllegalArgumentException(option + " names must differ: " + String.join(",", outputs));
        }
    }

    /** @throws IllegalArgumentException when the job has too many tasks, too large a batch or too long a file name */
    public static void limits(BatchPlan plan, DType type, List<String> outputs, String batchSizeOption, String outputsOption) {
        limits(plan, java.util.Collections.nCopies(outputs.size(), type), outputs, batchSizeOption, outputsOption);
    }

    /** As above, for outputs each of its own dtype: the widest one limits a batch's rows. */
    public static void limits(BatchPlan plan, List<DType> types, List<String> outputs, String batchSizeOption, String outputsOption) {
        DType type = types.stream().max(java.util.Comparator.comparingInt(DType::size)).orElse(DType.FLOAT32);
        if (plan.tasks() > BatchPlan.MAX_TASKS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "the job has %,d tasks; a job can have at most %,d: "
                    + "split it into several jobs", plan.tasks(), BatchPlan.MAX_TASKS));
        }
        if ((long) plan.batchSize() * type.size() > BatchPlan.MAX_BATCH_BYTES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s %,d: a batch of %s values needs %,d bytes "
                    + "per output; at most %,d rows of %s fit one batch", batchSizeOption, plan.batchSize(), type,
                    (long) plan.batchSize() * type.size(), BatchPlan.MAX_BATCH_BYTES / type.size(), type));
        }
        for (String name : outputs) {
            String longest = BatchAssembler.fileName(name, plan.batches() - 1);
            if (AtomicFile.tempNameLength(longest) > AtomicFile.MAX_NAME_BYTES) {
                throw new IllegalArgumentException(outputsOption + ": '" + shorten(name) + "' is too long for a file name ("
                        + longest.length() + " characters with _para_N.npy; at most "
                        + (AtomicFile.MAX_NAME_BYTES - AtomicFile.tempNameLength("")) + ")");
            }
        }
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
