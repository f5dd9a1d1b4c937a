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

    WorkerStreams(OutputStream out, OutputStream err, Lifeline lifeline) {
        super(out, err, lifeline);
        this.lifeline = lifeline;
    }

    @Override
    public void stop() throws IOException {
        lifeline.cut();
        super.stop();
    }
}
