/**
 * Warm pools: a coordinator that stays up with its workers after a job ({@code --keep-warm}), and
 * the thin client that a later {@code java -jar jvmpool.jar} of the same user becomes to run its
 * job there, over a Unix domain socket in a folder only that user can open. The protocol
 * ({@link io.jvmpool.warm.WarmRequest}, {@link io.jvmpool.warm.Frames}), the folder
 * ({@link io.jvmpool.warm.WarmFolder}), the client ({@link io.jvmpool.warm.WarmClient}) and the
 * server ({@link io.jvmpool.warm.WarmServer}); what a job is and how it runs is the CLI's.
 */
package io.jvmpool.warm;
