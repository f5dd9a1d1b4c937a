package io.jvmpool.launch;

import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * A worker's standard input: it stays open, sending nothing, until {@link #cut()}. The worker exits
 * when its stdin closes, which also happens by itself when the coordinator dies, so no worker
 * outlives its coordinator.
 */
final class Lifeline extends InputStream {
    private final CountDownLatch cut = new CountDownLatch(1);

    /** Closes the worker's stdin (once the pump that copies this stream notices). */
    void cut() {
        cut.countDown();
    }

    @Override
    public int read() {
        awaitCut();
        return -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        awaitCut();
        return -1;
    }

    @Override
    public void close() {
        cut();
    }

    private void awaitCut() {
        try {
            cut.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
