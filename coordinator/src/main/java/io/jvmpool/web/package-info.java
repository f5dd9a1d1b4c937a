/**
 * A running job watched from a browser and from Prometheus ({@code --http}): {@link JobWatch} keeps
 * what the pool's snapshots do not (batches written, errors, each worker's task stream),
 * {@link JobMetrics} turns it into Prometheus' metrics, and {@link WebServer} serves the page, its
 * JSON and {@code /metrics}. Nothing here is on the job's path: the job never waits for a reader.
 */
package io.jvmpool.web;
