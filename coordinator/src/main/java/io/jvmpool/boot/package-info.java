/**
 * How {@code java -jar jvmpool.jar} starts: the launcher JVM that runs the job in a second JVM
 * started with the coordinator's class data archive, passing on its streams, signals and exit code.
 */
package io.jvmpool.boot;
