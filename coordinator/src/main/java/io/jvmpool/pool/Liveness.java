package io.jvmpool.pool;

import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges, every time it is asked, which workers went silent (no heartbeat for the silence limit) or
 * ran one task past the task timeout; and notices when this process itself did not run for a
 * while (SIGSTOP, Ctrl-Z), in which case nobody is judged by the time we were away.
 */
final class Liveness {
    private static final Logger LOG = LoggerFactory.getLogger(Liveness.class);
    private final long silenceNanos;
    private final long taskTimeoutNanos;
    private final long stallNanos;
    private long lastCheck;

    /**
     * @param taskTimeoutNanos 0 for no limit
     * @param stallNanos       a gap between two checks longer than this means we were stopped
     */
    Liveness(long silenceNanos, long taskTimeoutNanos, long stallNanos) {
        this.silenceNanos = silenceNanos;
        this.taskTimeoutNanos = taskTimeoutNanos;
        this.stallNanos = stallNanos;
    }

    /** Checks start again after a pause of their own ({@link Pool#idle}): the gap since the last is no stall. */
    void resume() {
        lastCheck = 0;
    }

    /** Hands each worker that must go to {@code end}, with why. */
    void check(List<WorkerSession> sessions, long now, BiConsumer<WorkerSession, String> end) {
        long gap = lastCheck == 0 ? 0 : now - lastCheck;
        lastCheck = now;
        if (gap > stallNanos) {
            // We were the ones asleep: the workers' heartbeats wait unread in our sockets.
            LOG.warn("the coordinator did not run for {} ms (stopped or paused): every worker gets a fresh heartbeat window",
                    gap / 1_000_000);
            sessions.forEach(s -> s.excuse(gap, now));
            return;
        }
        for (WorkerSession s : List.copyOf(sessions)) {
            if (s.silentFor(now) > silenceNanos) {
                end.accept(s, "sent no heartbeat for " + s.silentFor(now) / 1_000_000 + " ms");
            } else if (taskTimeoutNanos > 0 && s.currentTask() >= 0 && s.runningFor(now) > taskTimeoutNanos
                    && !s.held().isEmpty()) {
                String why = "ran task " + s.currentTask() + " for longer than the task timeout (" + s.runningFor(now) / 1_000_000 + " ms)";
                s.markEnding(why, false);
                end.accept(s, why);
            }
        }
    }
}
