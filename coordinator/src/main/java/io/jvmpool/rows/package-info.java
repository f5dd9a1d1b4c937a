/**
 * The seam between the pool and the files: what a finished task's results look like
 * ({@link io.jvmpool.rows.TaskRows}, in a {@link io.jvmpool.rows.DType}), and where the workers on
 * this machine may write them themselves ({@link io.jvmpool.rows.InPlaceBatch}). The pool hands
 * rows over; the batch files take them; neither knows the other.
 */
package io.jvmpool.rows;
