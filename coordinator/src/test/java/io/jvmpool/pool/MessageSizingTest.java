package io.jvmpool.pool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The message sizing policy on its own: measured task times in, message sizes and holdings out. */
class MessageSizingTest {
    private static final long MS = 1_000_000L;

    @Test
    void messagesCarryAFewMillisecondsOfWorkAndShrinkNearTheEnd() {
        MessageSizing auto = new MessageSizing(0);
        assertThat(auto.messageSize(1_000, 1_000_000, 2)).isEqualTo(5_000);
        assertThat(auto.messageSize(1_000, 400, 2)).as("near the end: a quarter of what is left per worker").isEqualTo(100);
        assertThat(auto.messageSize(1_000, 3, 2)).isEqualTo(1);
        assertThat(auto.messageSize(0, 1_000_000, 2)).as("not measured yet").isEqualTo(1);
        assertThat(auto.messageSize(1, Long.MAX_VALUE / 4, 2)).isEqualTo(MessageSizing.MAX_TASKS_PER_MESSAGE);
    }

    @Test
    void aFixedChunkSizeIsKeptWhateverTheTasksTake() {
        MessageSizing fixed = new MessageSizing(7);
        assertThat(fixed.messageSize(0, 1_000, 2)).isEqualTo(7);
        assertThat(fixed.messageSize(100 * MS, 3, 2)).isEqualTo(7);
    }

    @Test
    void longTasksAreHeldOneBehindTheOneRunningUntilTheEnd() {
        assertThat(MessageSizing.isLong(MessageSizing.LONG_TASK_NANOS)).isTrue();
        assertThat(MessageSizing.mayHold(100 * MS, 1, 100, 2)).isEqualTo(2);
        assertThat(MessageSizing.mayHold(100 * MS, 1, 4, 2)).as("no more than two per worker left").isEqualTo(1);
    }

    @Test
    void shortTasksAreHeldTwoMessagesOrAboutTwentyMillisecondsOfWork() {
        assertThat(MessageSizing.mayHold(0, 1, 1_000, 2)).as("not measured: two messages").isEqualTo(2);
        assertThat(MessageSizing.mayHold(MS, 5, 1_000, 2)).as("1 ms tasks: 20 ms of them").isEqualTo(20);
        assertThat(MessageSizing.mayHold(1_000, 5_000, 1_000_000, 2)).as("tiny tasks: two messages").isEqualTo(10_000);
        assertThat(MessageSizing.mayHold(10, 1, 1_000_000, 2)).as("at most MAX_PREFETCH_TASKS beyond two messages")
                .isEqualTo(MessageSizing.MAX_PREFETCH_TASKS);
    }
}
