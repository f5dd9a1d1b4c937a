/**
 * The task API: what a user's jar compiles against. Implement {@link io.jvmpool.api.Task}, put the
 * class in a jar and run it with {@code --task CLASS --task-jar JAR}.
 */
package io.jvmpool.api;
