package io.jvmpool.bench;

import io.jvmpool.pool.Pool;
import io.jvmpool.pool.PoolOptions;
import io.jvmpool.pool.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

/**
 * Runs N trivial tasks through {@code Pool.imapUnordered} over a lazily generated {@code Iterable}
 * and prints, five times along the way, the tasks per second and this JVM's anonymous memory
 * (RssAnon): flat memory means the input is read no further ahead than the results are taken.
 *
 * <pre>java -Xmx64m -cp "$(cat bench/target/classpath.txt):bench/target/classes" io.jvmpool.bench.LazyImap 100000000</pre>
 */
public final class LazyImap {
    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        try (Pool pool = Pool.start(new PoolOptions().task("trivial").workers(2))) {
            Iterable<List<Long>> lazy = () -> LongStream.range(0, n).mapToObj(i -> List.of(i, 1L, 1L, 1L)).iterator();
            long start = System.nanoTime();
            long count = 0;
            for (Iterator<TaskResult> it = pool.imapUnordered(lazy); it.hasNext(); it.next()) {
                if (++count % Math.max(1, n / 5) == 0) {
                    System.out.printf(Locale.ROOT, "%,d tasks, %,.0f tasks/s, %s%n", count, count / ((System.nanoTime() - start) / 1e9),
                            rssAnon());
                }
            }
        }
    }

    private static String rssAnon() throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("RssAnon"))
                .findFirst().orElse("RssAnon: ?").replaceAll("\\s+", " ");
    }
}
