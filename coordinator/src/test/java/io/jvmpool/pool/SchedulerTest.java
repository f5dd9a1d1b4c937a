package io.jvmpool.pool;

import io.jvmpool.rows.TaskRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvmpool.args.ArgTable;
import io.jvmpool.proto.CoordinatorMessage;
import io.jvmpool.proto.ResultChunk;
import io.jvmpool.proto.TaskChunk;
import io.jvmpool.proto.TaskFailure;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The scheduling algorithm on its own: fake workers that record what they are sent, a fake clock,
 * no network, no threads, no sleeps. Each test scripts what the workers answer and checks what the
 * scheduler sends next.
 */
class SchedulerTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final List<String> ended = new ArrayList<>();
    private final BitSet delivered = new BitSet();
    private final List<TaskError> errors = new ArrayList<>();
    private final List<String> retiring = new ArrayList<>();
    private Scheduler scheduler = scheduler(3, 0);

    private Scheduler scheduler(int maxAttempts, int chunkSize) {
        return scheduler(maxAttempts, chunkSize, 0);
    }

    private Scheduler scheduler(int maxAttempts, int chunkSize, int maxTasksPerWorker) {
        return new Scheduler(maxAttempts, chunkSize, maxTasksPerWorker, new Scheduler.Events() {
            @Override
            public void ready(WorkerSession s) {
            }

            @Override
            public void end(WorkerSession s, String why) {
                ended.add(s.name() + " " + why);
                scheduler.end(s, why);
            }

            @Override
            public void retiring(WorkerSession s) {
                retiring.add(s.name());
            }
        }, clock::get);
    }

    /** A worker as the scheduler sees it, whose stream records the task messages sent on it. */
    private static final class FakeLink implements WorkerLink {
        final List<TaskChunk> sent = new ArrayList<>();
        boolean closed;

        @Override
        public void send(CoordinatorMessage message) {
            if (message.hasTasks()) {
                sent.add(message.getTasks());
            }
        }

        @Override
        public void close() {
            closed = true;
        }

        /** The tasks of each message sent, as "first+count" or "[i, j]" for listed indexes. */
        List<String> messages() {
            return sent.stream().map(b -> b.getIndexCount() > 0 ? b.getIndexList().toString() : b.getFirst() + "+" + b.getCount()).toList();
        }
    }

    private final List<FakeLink> links = new ArrayList<>();

    private WorkerSession worker(int index) {
        FakeLink link = new FakeLink();
        links.add(link);
        WorkerSession s = new WorkerSession(index, 100 + index, "here", true, scheduler.outbox(link, true));
        scheduler.join(s);
        scheduler.ready(s, false);
        return s;
    }

    private List<String> sentTo(int worker) {
        return links.get(worker).messages();
    }

    private void begin(long tasks) throws InterruptedException {
        scheduler.begin(ArgTable.constant(List.of(1), tasks), sink(), new BitSet());
    }

    private ResultSink sink() {
        return new ResultSink() {
            @Override
            public void accept(long first, TaskRows rows) {
                delivered.set((int) first, (int) first + rows.count());
            }

            @Override
            public void failed(TaskError error) {
                errors.add(error);
            }
        };
    }

    /** The worker answers {@code count} tasks from {@code first}, each having taken {@code nanosEach}. */
    private void answer(WorkerSession s, long first, int count, long nanosEach) {
        scheduler.results(s, ResultChunk.newBuilder().setFirst(first).setCount(count).setComputeNanos(count * nanosEach).build(),
                new ResultView(List.of(io.jvmpool.rows.DType.FLOAT32)));
    }

    @Test
    void anUnmeasuredWorkerGetsOneTaskPerMessageAndHoldsTwo() throws Exception {
        begin(1000);
        worker(0);
        assertThat(sentTo(0)).containsExactly("0+1", "1+1");
    }

    @Test
    void messagesCarryAboutFiveMillisecondsOfMeasuredWork() throws Exception {
        begin(1000);
        WorkerSession w = worker(0);
        answer(w, 0, 1, MS);
        // 1 ms per task: 5 tasks per message, and about 20 ms of work held
        assertThat(sentTo(0)).containsExactly("0+1", "1+1", "2+5", "7+5", "12+5", "17+5");
    }

    @Test
    void aFixedChunkSizeIsKept() throws Exception {
        scheduler = scheduler(3, 7);
        begin(100);
        WorkerSession w = worker(0);
        answer(w, 0, 7, 10 * MS);
        assertThat(sentTo(0)).startsWith("0+7", "7+7", "14+7");
    }

    @Test
    void longTasksGoOneAtATimeWithOneQueuedBehindUntilTheEnd() throws Exception {
        begin(6);
        WorkerSession w = worker(0);
        answer(w, 0, 1, 100 * MS);
        assertThat(sentTo(0)).containsExactly("0+1", "1+1", "2+1");
        answer(w, 1, 1, 100 * MS);
        answer(w, 2, 1, 100 * MS);
        // near the end (no more tasks left than two per worker) it holds only the one it runs
        assertThat(sentTo(0)).containsExactly("0+1", "1+1", "2+1", "3+1");
    }

    @Test
    void aLostWorkersRunningTaskGoesAloneToAnIdleWorkerAndTheRestFollow() throws Exception {
        begin(10);
        WorkerSession w0 = worker(0);
        scheduler.heartbeat(w0, 0, 0, 0);
        scheduler.gone(w0, "exited with code 137");
        WorkerSession w1 = worker(1);
        assertThat(sentTo(1)).as("the suspect alone, nothing behind it").containsExactly("0+1");
        answer(w1, 0, 1, MS);
        assertThat(sentTo(1).get(1)).as("then the other task the lost worker held").isEqualTo("[1]");
        assertThat(scheduler.snapshot("t", 0, 0).tasksRetried()).isEqualTo(2);
    }

    @Test
    void aTaskThatKeepsTakingWorkersDownFailsTheJobAfterMaxAttempts() throws Exception {
        scheduler = scheduler(2, 0);
        begin(10);
        scheduler.gone(worker(0), "exited with code 137");
        scheduler.gone(worker(1), "exited with code 137");
        assertThatThrownBy(scheduler::awaitJob).isInstanceOf(JobFailedException.class)
                .hasMessageStartingWith("task 0 (1,) took its worker down 2 times (last: worker w1 (pid 101) exited with code 137)");
    }

    @Test
    void aSilentWorkerIsEndedButNotWhileTheCoordinatorItselfWasStopped() throws Exception {
        begin(10);
        worker(0);
        Liveness liveness = new Liveness(1_000 * MS, 0, 300 * MS);
        for (int i = 0; i < 9; i++) {
            clock.addAndGet(100 * MS);
            scheduler.checkHealth(liveness);
        }
        clock.addAndGet(5_000 * MS); // no check ran for 5 s: we were stopped, not the worker
        scheduler.checkHealth(liveness);
        assertThat(ended).isEmpty();
        for (int i = 0; i < 11; i++) {
            clock.addAndGet(100 * MS);
            scheduler.checkHealth(liveness);
        }
        assertThat(ended).containsExactly("w0 (pid 100) sent no heartbeat for 1100 ms");
    }

    @Test
    void aTaskRunningPastTheTimeoutEndsItsWorkerAndCountsAnAttempt() throws Exception {
        scheduler = scheduler(1, 0);
        begin(10);
        WorkerSession w = worker(0);
        Liveness liveness = new Liveness(10_000 * MS, 250 * MS, 300 * MS);
        for (int i = 0; i < 4; i++) {
            clock.addAndGet(100 * MS);
            scheduler.heartbeat(w, 0, 0, 0);
            scheduler.checkHealth(liveness);
        }
        assertThat(ended).containsExactly("w0 (pid 100) ran task 0 for longer than the task timeout (300 ms)");
        assertThatThrownBy(scheduler::awaitJob).hasMessageContaining("task 0 (1,) ran past the task timeout 1 times");
    }

    @Test
    void cancellingSkipsAQueuedTaskAndEndsTheWorkerOfARunningOne() throws Exception {
        ArgTable args = ArgTable.constant(List.of(1), 4);
        scheduler.begin(args, sink(), new BitSet());
        WorkerSession w0 = worker(0);
        assertThat(scheduler.cancel(args, 2)).isTrue();
        answer(w0, 0, 1, 100 * MS);
        assertThat(sentTo(0)).as("task 2 is never sent").containsExactly("0+1", "1+1");
        assertThat(scheduler.cancel(args, 1)).isTrue();
        assertThat(ended).containsExactly("w0 (pid 100) ran task 1, which was cancelled");
        WorkerSession w1 = worker(1);
        assertThat(sentTo(1)).containsExactly("3+1");
        answer(w1, 3, 1, MS);
        scheduler.awaitJob();
        assertThat(delivered.stream().boxed().toList()).containsExactly(0, 3);
        assertThat(scheduler.cancel(args, 0)).as("finished already").isFalse();
    }

    @Test
    void answersToAJobThatFailedAreDroppedAndTheNextJobRuns() throws Exception {
        begin(10);
        WorkerSession w = worker(0);
        scheduler.failure(w, TaskFailure.newBuilder().setIndex(0).setMessage("boom").setFatal(true).build());
        assertThatThrownBy(scheduler::awaitJob).hasMessageContaining("task 0 (1,) failed in worker w0 (pid 100): boom");
        // the worker still holds task 1 of the failed job; the next job's tasks queue behind it
        scheduler.begin(ArgTable.constant(List.of(2), 2), sink(), new BitSet());
        assertThat(sentTo(0)).containsExactly("0+1", "1+1", "0+1", "1+1");
        answer(w, 1, 1, MS); // the old job's task 1: dropped
        assertThat(delivered.isEmpty()).isTrue();
        answer(w, 0, 2, MS);
        scheduler.awaitJob();
        assertThat(delivered.cardinality()).isEqualTo(2);
        assertThat(links.get(0).closed).as("the worker stays").isFalse();
    }

    @Test
    void aWorkerThatAnswersTasksItWasNotGivenIsDropped() throws Exception {
        begin(10);
        WorkerSession w = worker(0);
        answer(w, 5, 1, MS);
        assertThat(links.get(0).closed).isTrue();
        assertThat(scheduler.workerCount()).isZero();
    }

    @Test
    void noSinkRunsUnderTheSchedulersLockAndATaskIsFinishedOnceItsSinkTookIt() throws Exception {
        List<String> seen = new ArrayList<>();
        scheduler.begin(ArgTable.constant(List.of(1), 2), new ResultSink() {
            @Override
            public void accept(long first, TaskRows rows) {
                seen.add("accept " + first + " lock held: " + Thread.holdsLock(scheduler)
                        + ", done before: " + scheduler.snapshot("t", 0, 0).tasksDone());
            }
        }, new BitSet());
        WorkerSession w = worker(0);
        answer(w, 0, 1, MS);
        answer(w, 1, 1, MS);
        scheduler.awaitJob();
        assertThat(seen).containsExactly("accept 0 lock held: false, done before: 0", "accept 1 lock held: false, done before: 1");
    }

    @Test
    void aSinkThatBlocksHoldsUpOnlyItsResultsNotTheScheduler() throws Exception {
        java.util.concurrent.CountDownLatch inSink = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        scheduler.begin(ArgTable.constant(List.of(1), 4), new ResultSink() {
            @Override
            public void accept(long first, TaskRows rows) {
                inSink.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, new BitSet());
        WorkerSession w0 = worker(0);
        Thread delivering = new Thread(() -> answer(w0, 0, 1, MS));
        delivering.start();
        inSink.await();
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            WorkerSession w1 = worker(1); // joins and gets tasks while the sink holds w0's result
            assertThat(sentTo(1)).isNotEmpty();
            scheduler.checkHealth(new Liveness(10_000 * MS, 0, 300 * MS));
            assertThat(scheduler.snapshot("t", 0, 0).tasksDone()).as("not finished until the sink returns").isZero();
        });
        release.countDown();
        delivering.join();
        assertThat(scheduler.snapshot("t", 0, 0).tasksDone()).isEqualTo(1);
    }

    @Test
    void aSinkThatThrowsFailsTheJobWithItsMessage() throws Exception {
        scheduler.begin(ArgTable.constant(List.of(1), 3), new ResultSink() {
            @Override
            public void accept(long first, TaskRows rows) {
                throw new IllegalStateException("disk full");
            }
        }, new BitSet());
        answer(worker(0), 0, 1, MS);
        assertThatThrownBy(scheduler::awaitJob).isInstanceOf(JobFailedException.class).hasMessage("disk full");
    }

    @Test
    void anOutboxSendsInOrderWhoeverFlushesAndStopsAtABrokenStream() throws Exception {
        List<String> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        boolean[] broken = {false};
        Outbox box = new Outbox(new WorkerLink() {
            @Override
            public void send(CoordinatorMessage message) {
                if (broken[0]) {
                    throw new IllegalStateException("cancelled");
                }
                sent.add(message.getGoodbye());
            }

            @Override
            public void close() {
                sent.add("closed");
            }
        }, null);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    synchronized (threads) { // one global order of queueing, as under the scheduler's lock
                        box.add(CoordinatorMessage.newBuilder().setGoodbye(id + ":" + i).build());
                    }
                    box.flush();
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        box.flush();
        assertThat(sent).hasSize(2000);
        for (int t = 0; t < threads.length; t++) {
            String prefix = t + ":";
            assertThat(sent.stream().filter(m -> m.startsWith(prefix)).map(m -> Integer.parseInt(m.substring(prefix.length()))).toList())
                    .as("thread " + t + "'s messages in its order").isSorted();
        }
        box.close("bye");
        assertThat(box.flush()).isTrue();
        assertThat(sent.subList(2000, 2002)).containsExactly("bye", "closed");
        Outbox gone = new Outbox(new WorkerLink() {
            @Override
            public void send(CoordinatorMessage message) {
                throw new IllegalStateException("cancelled");
            }

            @Override
            public void close() {
            }
        }, null);
        gone.add(CoordinatorMessage.getDefaultInstance());
        assertThat(gone.flush()).as("a stream that threw is broken").isFalse();
    }

    @Test
    void aRecycledWorkerGetsItsTasksRetiresWithItsLastAndGoesOnceItAnswered() throws Exception {
        scheduler = scheduler(3, 0, 3);
        begin(7);
        WorkerSession w0 = worker(0);
        answer(w0, 0, 1, MS);
        answer(w0, 1, 1, MS);
        assertThat(sentTo(0)).as("three tasks, never more").containsExactly("0+1", "1+1", "2+1");
        assertThat(retiring).as("its replacement starts with its last task").containsExactly("w0 (pid 100)");
        assertThat(links.get(0).closed).isFalse();
        answer(w0, 2, 1, MS);
        assertThat(links.get(0).closed).as("all answered: its stream ends, it exits").isTrue();
        WorkerSession next = new WorkerSession(0, 200, "here", true, scheduler.outbox(fakeLink(), true));
        scheduler.join(next);
        scheduler.ready(next, false);
        answer(next, 3, 1, MS);
        answer(next, 4, 1, MS);
        answer(next, 5, 1, MS);
        assertThat(links.get(1).messages()).containsExactly("3+1", "4+1", "5+1");
        assertThat(retiring).as("one task left: a second replacement").hasSize(2);
        WorkerSession last = new WorkerSession(0, 300, "here", true, scheduler.outbox(fakeLink(), true));
        scheduler.join(last);
        scheduler.ready(last, false);
        answer(last, 6, 1, MS);
        assertThat(retiring).as("it ran one task: nothing left to replace it for").hasSize(2);
        scheduler.awaitJob();
        assertThat(delivered.cardinality()).isEqualTo(7);
    }

    private FakeLink fakeLink() {
        FakeLink link = new FakeLink();
        links.add(link);
        return link;
    }
}
