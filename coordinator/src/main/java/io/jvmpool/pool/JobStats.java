package io.jvmpool.pool;

/** Counts over a pool's jobs: results ever, and the current job's failed and retried tasks and milestones. */
final class JobStats {
    private long resultsEver;
    private long failed;
    private long retried;
    /** When the first task was handed out and the first result came in (System.currentTimeMillis; 0: not yet). */
    private long firstTaskMillis;
    private long firstResultMillis;

    /** The pool is set up for another task: its timeline starts again (the first task and result to come). */
    void retasked() {
        firstTaskMillis = 0;
        firstResultMillis = 0;
    }

    void newJob() {
        failed = 0;
        retried = 0;
    }

    void handedOut() {
        if (firstTaskMillis == 0) {
            firstTaskMillis = System.currentTimeMillis();
        }
    }

    void results(long n) {
        resultsEver += n;
        if (firstResultMillis == 0 && n > 0) {
            firstResultMillis = System.currentTimeMillis();
        }
    }

    void failedTask() {
        failed++;
    }

    void retried(long n) {
        retried += n;
    }

    /** How many results have come in since the pool started, over all jobs. */
    long resultsEver() {
        return resultsEver;
    }

    long failed() {
        return failed;
    }

    long retried() {
        return retried;
    }

    long firstTaskMillis() {
        return firstTaskMillis;
    }

    long firstResultMillis() {
        return firstResultMillis;
    }

    JobStats copy() {
        JobStats c = new JobStats();
        c.resultsEver = resultsEver;
        c.failed = failed;
        c.retried = retried;
        c.firstTaskMillis = firstTaskMillis;
        c.firstResultMillis = firstResultMillis;
        return c;
    }
}
