package io.jvmpool.launch;

import org.apache.commons.exec.LogOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line of a worker's stdout or stderr becomes one line of the coordinator's log, after the worker's name. */
final class WorkerLog extends LogOutputStream {
    private static final Logger LOG = LoggerFactory.getLogger("jvmpool.worker");
    private final String prefix;

    WorkerLog(int index) {
        this.prefix = "[w" + index + "] ";
    }

    @Override
    protected void processLine(String line, int level) {
        LOG.info("{}{}", prefix, line);
    }
}
