package io.jvmpool.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A worker's output as the coordinator passes it on: bounded lines, byte for byte when piped, made safe on a terminal. */
class WorkerOutputTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private List<String> run(boolean terminal, byte[] output) {
        WorkerLines lines = new WorkerLines(terminal, () -> err);
        WorkerOutput out = new WorkerOutput(3, lines, terminal);
        out.write(output, 0, output.length);
        out.close();
        lines.drain(5000);
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void pipedOutputPassesByteForByteAfterTheWorkersName() {
        byte[] raw = "a\r\nb\u00e9\rc\n\u001b[2Jd".getBytes(StandardCharsets.UTF_8);
        byte[] withBadUtf8 = new byte[raw.length + 1];
        System.arraycopy(raw, 0, withBadUtf8, 0, raw.length);
        withBadUtf8[raw.length] = (byte) 0xff;
        run(false, withBadUtf8);
        byte[] want = ("[w3] a\r\n[w3] b\u00e9\rc\n[w3] \u001b[2Jd").getBytes(StandardCharsets.UTF_8);
        byte[] got = printed.toByteArray();
        assertThat(got).startsWith(want);
        assertThat(got[want.length]).isEqualTo((byte) 0xff);
        assertThat(got.length).isEqualTo(want.length + 2); // and the last line's newline
    }

    @Test
    void onATerminalProgressShowsAsItsLatestPartNotMerged() {
        List<String> lines = run(true, "10%\r20%\r30%\ndone\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(lines).containsExactly("[w3] 10%", "[w3] 30%", "[w3] done");
    }

    @Test
    void aLineWithoutANewlineIsPassedOnInBoundedPiecesAndSaidOnce() {
        byte[] big = new byte[200 << 10];
        java.util.Arrays.fill(big, (byte) 'x');
        List<String> lines = run(false, big);
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo("[w3] (a line longer than 64 KiB: passed on in pieces)");
        assertThat(lines.subList(1, 5)).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(5 + (64 << 10)));
        assertThat(lines.stream().mapToInt(l -> l.length() - 5).skip(1).sum()).isEqualTo(200 << 10);
    }

    @Test
    void aTerminalKeepsColourButNoOtherControlSequence() {
        String safe = TerminalText.safe("\u001b[2J\u001b[H\u001b]0;pwned\u0007\u001b[?25l\u001b[31mred\u001b[0m plain\u0008\u0007\u009b2J end");
        assertThat(safe).isEqualTo("\u001b[31mred\u001b[0m plain end\u001b[0m");
        assertThat(TerminalText.safe("\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\")).isEqualTo("link");
        assertThat(TerminalText.safe("tab\there")).isEqualTo("tab\there");
    }
}
