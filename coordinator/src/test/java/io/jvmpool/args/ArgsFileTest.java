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
        Path csv = Files.writeString(dir.resolve("bad.csv"), "p1,p2\r\n1,2\r\n\r\n3,\"1e309\"\r\n");
        assertThatThrownBy(() -> ArgsFile.read(csv)).hasMessageContaining("bad.csv:4:2: column 'p2': '1e309' is out of the range of a double");
        Path empty = Files.writeString(dir.resolve("empty.csv"), "p1,p2\n1,2\n3,\n");
        assertThatThrownBy(() -> ArgsFile.read(empty)).hasMessageContaining("empty.csv:3:2: column 'p2': an empty value");
        Path wide = Files.writeString(dir.resolve("wide.csv"), "p1\n99999999999999999999\n");
        assertThatThrownBy(() -> ArgsFile.read(wide)).hasMessageContaining("wide.csv:2:1: column 'p1': '99999999999999999999' is out of the range of a 64-bit integer");
    }

    @Test
    void aColumnHoldingTextIsTextWhateverElseItHolds() throws Exception {
        Path csv = Files.writeString(dir.resolve("models.csv"), "model,lr,note\nresnet,0.1,\"a, b\"\nvit,1,3\n\"\",2,\"\"\"q\"\"\"\n");
        ArgTable table = ArgsFile.read(csv);
        assertThat(table.names()).containsExactly("model", "lr", "note");
        assertThat(table.rows()).isEqualTo(3);
        assertThat(table.describe(0)).isEqualTo("('resnet', 0.1, 'a, b')");
        assertThat(table.describe(1)).isEqualTo("('vit', 1.0, '3')");
        assertThat(table.describe(2)).isEqualTo("('', 2.0, '\"q\"')");
    }

    @Test
    void textLongerThan64KiBOrNotUtf8IsRefusedWithItsPlace() throws IOException {
        Path big = Files.writeString(dir.resolve("big.csv"), "a,b\n1,x\n2," + "y".repeat(65 << 10) + "\n");
        assertThatThrownBy(() -> ArgsFile.read(big)).hasMessageContaining("big.csv:3: a value longer than 64 KiB");
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, "a\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ArgsFile.read(latin1)).hasMessageContaining("latin1.csv:2:1: column 'a': not UTF-8 text");
    }

    @Test
    void rowsAreReadAgainAsTasksGoOutAndLetGoWhenFinished() throws Exception {
        StringBuilder text = new StringBuilder("i,name\n");
        for (int i = 0; i < 1000; i++) {
            text.append(i).append(",n").append(i).append('\n');
        }
        ArgTable table = ArgsFile.read(Files.writeString(dir.resolve("many.csv"), text));
        assertThat(table.describe(500)).isEqualTo("(500, 'n500')"); // rows before it are read past
        assertThat(table.describe(3)).as("a row read past is not kept").isEqualTo("(?)");
        table.finished(500);
        assertThat(table.describe(500)).as("let go once finished").isEqualTo("(?)");
        assertThat(table.describe(999)).isEqualTo("(999, 'n999')");
        assertThat(table.sha256()).isEqualTo(io.jvmpool.shared.Checksums.sha256(dir.resolve("many.csv")));
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
