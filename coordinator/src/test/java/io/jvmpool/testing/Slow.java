package io.jvmpool.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test too slow for the edit-test loop (many JVMs, long waits, whole jobs): {@code mvn test}
 * leaves it out, {@code mvn verify} (CI) runs it, after the unit and quick process tests.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag("slow")
public @interface Slow {
}
