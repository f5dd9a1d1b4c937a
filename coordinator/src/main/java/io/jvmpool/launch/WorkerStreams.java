package io.jvmpool.launch;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * A worker's three streams: its output and errors go to the coordinator's log, and its stdin is
 * the {@link Lifeline}. The lifeline is cut when the process has ended, so that the pump reading it
 * stops too (otherwise commons-exec waits for that pump forever).
 */
final class WorkerStreams extends PumpStreamHandler {
    private final Lifeline lifeline;
    private final Runnable unreadable;

    /** @param unreadable what to do when the worker's output can't be read on (it would block on its full pipe) */
    WorkerStreams(OutputStream out, OutputStream err, Lifeline lifeline, Runnable unreadable) {
        super(out, err, lifeline);
        this.lifeline = lifeline;
        this.unreadable = unreadable;
    }

    /**
     * The threads that read the worker's stdout and stderr: until the end of the stream, whatever
     * comes. An error in reading ends the worker (its output could never be read again, and a worker
     * blocked on a full pipe would be kept alive by its heartbeats).
     */
    @Override
    protected Thread createPump(java.io.InputStream is, OutputStream os, boolean closeWhenExhausted) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n = is.read(buffer); n >= 0; n = is.read(buffer)) {
                    os.write(buffer, 0, n);
                }
            } catch (java.io.IOException e) {
                // the pipe broke: the worker is going
            } catch (Throwable e) {
                unreadable.run();
            } finally {
                try {
                    os.close();
                } catch (java.io.IOException e) {
                    // never thrown by a WorkerOutput
                }
            }
        }, "jvmpool-worker-pump");
        t.setDaemon(true);
        return t;
    }

    @Override
    public void stop() throws IOException {
        lifeline.cut();
        super.stop();
    }
}
