package io.jvmpool.worker;

import io.jvmpool.api.Task;
import io.jvmpool.tasks.BuiltinTasks;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/** Finds a task class, built-in or in the user's jars, and makes an instance of it. */
public final class TaskLoader {

    private TaskLoader() {
    }

    /**
     * A class loader over the user's jars, whose parent is jvmpool's own, so that the task API the
     * user compiled against is the one the worker calls.
     */
    public static ClassLoader classLoader(List<Path> jars) {
        if (jars.isEmpty()) {
            return TaskLoader.class.getClassLoader();
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("bad task jar path " + jars.get(i), e);
            }
        }
        return new URLClassLoader("jvmpool-tasks", urls, TaskLoader.class.getClassLoader());
    }

    /**
     * Whether a thread other than {@code self} still runs with {@code loader} as its context class
     * loader: one the task started (threads inherit it from the task thread) and left running. Always
     * false for the worker's own loader (built-in tasks), which every thread has.
     */
    static boolean threadsLeftBy(ClassLoader loader, Thread self) {
        if (loader == null || loader == TaskLoader.class.getClassLoader()) {
            return false;
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t != self && t.isAlive() && t.getContextClassLoader() == loader) {
                return true;
            }
        }
        return false;
    }

    /** Lets go of a task jar loader's open jars (nothing for the worker's own loader). */
    static void close(ClassLoader loader) {
        if (loader instanceof URLClassLoader jars) {
            try {
                jars.close();
            } catch (java.io.IOException e) {
                // its jars stay open until the JVM ends
            }
        }
    }

    /**
     * Loads the task class without running any of its code, checking that it implements the task
     * API and has a public no-argument constructor.
     *
     * @throws IllegalArgumentException with a one-line reason when it is not a usable task
     */
    public static Class<? extends Task> find(String nameOrClass, ClassLoader loader) {
        String className = BuiltinTasks.className(nameOrClass);
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("no task named '" + nameOrClass + "': not a built-in task ("
                    + String.join(", ", BuiltinTasks.names()) + ") nor a class on the task jars (--task-jar)");
        }
        if (!Task.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("class " + className + " does not implement " + Task.class.getName());
        }
        if (type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException("task class " + className + " is " + (type.isInterface() ? "an interface" : "abstract")
                    + ": give a class that implements it, with a public no-argument constructor");
        }
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("task class " + className + " needs a public no-argument constructor");
        }
        return type.asSubclass(Task.class);
    }

    /**
     * The outputs the task class declares ({@link Task#outputs()}), empty when it declares none. Only
     * a class that overrides {@code outputs()} is instantiated for it (its constructor runs).
     *
     * @throws IllegalArgumentException when making the instance or calling outputs() fails
     */
    public static List<io.jvmpool.api.Output> declaredOutputs(Class<? extends Task> type) {
        try {
            if (type.getMethod("outputs").getDeclaringClass() == Task.class) {
                return List.of();
            }
            List<io.jvmpool.api.Output> declared = instantiate(type).outputs();
            return declared == null ? List.of() : List.copyOf(declared);
        } catch (Exception | LinkageError e) {
            throw new IllegalArgumentException("task class " + type.getName() + " can't say its outputs (outputs() or its constructor threw "
                    + e + ")");
        }
    }

    /** Makes an instance of a class that {@link #find} accepted. */
    public static Task instantiate(Class<? extends Task> type) throws Exception {
        try {
            return type.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
