package io.jvmpool.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/** What a test (or every test of a class) needs from the machine: skipped where missing, a failure under CI=true ({@link Need}). */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(Needs.Check.class)
public @interface Needs {
    Need[] value();

    /** Checks the needs of the test's method and class before it runs. */
    final class Check implements BeforeEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) {
            context.getTestClass().map(c -> c.getAnnotation(Needs.class)).ifPresent(Check::require);
            context.getTestMethod().map(m -> m.getAnnotation(Needs.class)).ifPresent(Check::require);
        }

        private static void require(Needs needs) {
            for (Need n : needs.value()) {
                n.require();
            }
        }
    }
}
