package io.jvmpool.args;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --args-file as RFC 4180 CSV, with messages that name file, line and column. */
class ArgsFileTest {
    @TempDir
    Path dir;

    @Test
    void quotedFieldsAByteOrderMarkAndCrlfAreRead() throws Exception {
        Path csv = dir.resolve("excel.csv");
        Files.write(csv, ("\uFEFF\"p1\",\"p 2\"\r\n\"1\",\"2.5\"\r\n\r\n 3 , \"-4\"\r\n").getBytes(StandardCharsets.UTF_8));
        ArgTable table = ArgsFile.read(csv);
        assertThat(table.rows()).isEqualTo(2);
        assertThat(table.describe(0)).isEqualTo("(1, 2.5)");
        assertThat(table.describe(1)).isEqualTo("(3, -4.0)");
    }

    @Test
    void aBadValueIsNamedByFileLineAndColumn() throws IOException {
        Path csv = Files.writeString(dir.resolve("bad.csv"), "p1,p2\r\n1,2\r\n\r\n3,\"x\"\r\n");
        assertThatThrownBy(() -> ArgsFile.read(csv)).hasMessageContaining("bad.csv:4:2: column 'p2': not a number: 'x'");
    }

    @Test
    void aRowWithTheWrongNumberOfValuesIsNamedByLine() throws IOException {
        Path csv = Files.writeString(dir.resolve("short.csv"), "p1,p2\n1,2\n\"3,4\"\n");
        assertThatThrownBy(() -> ArgsFile.read(csv)).hasMessageContaining("short.csv:3: 1 values but the header names 2 columns");
    }

    @Test
    void anUnclosedQuoteIsAReadableError() throws IOException {
        Path csv = Files.writeString(dir.resolve("open.csv"), "p1\n\"1\n");
        assertThatThrownBy(() -> ArgsFile.read(csv)).isInstanceOf(ArgsFile.BadArgsFileException.class)
                .hasMessageContaining("open.csv");
    }
}
