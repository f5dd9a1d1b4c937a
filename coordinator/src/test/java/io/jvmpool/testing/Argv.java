package io.jvmpool.testing;

/** Command lines for tests. */
public final class Argv {

    private Argv() {
    }

    /** {@code base} followed by {@code more}. */
    public static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** {@code base} followed by {@code more}, as a list (for a ProcessBuilder). */
    public static java.util.List<String> list(java.util.List<String> base, String... more) {
        java.util.List<String> all = new java.util.ArrayList<>(base);
        all.addAll(java.util.List.of(more));
        return all;
    }
}
