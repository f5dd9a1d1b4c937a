package io.jvmpool.shared;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Unmaps a file mapping now, instead of whenever the garbage collector finds its buffer unreachable
 * (until then the file's pages stay mapped, and a deleted file's space stays taken). Uses
 * {@code sun.misc.Unsafe.invokeCleaner}, the one way Java 17 has; where it is missing, the mapping is
 * left to the collector.
 */
public final class Unmapper {
    private static final Method INVOKE_CLEANER;
    private static final Object UNSAFE;

    static {
        Method clean = null;
        Object unsafe = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            clean = type.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // left to the collector
        }
        INVOKE_CLEANER = clean;
        UNSAFE = unsafe;
    }

    private Unmapper() {
    }

    /** Unmaps {@code mapping}; it must not be used afterwards (an access would crash the JVM). */
    public static void unmap(MappedByteBuffer mapping) {
        if (mapping != null && INVOKE_CLEANER != null) {
            try {
                INVOKE_CLEANER.invoke(UNSAFE, mapping);
            } catch (ReflectiveOperationException e) {
                // left to the collector
            }
        }
    }
}
