package io.jvmpool.args;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one number grammar of --args and --args-file. */
class NumbersTest {

    @ParameterizedTest
    @CsvSource({"42, 42", "-7, -7", "+3, 3", "' 5 ', 5", "9223372036854775807, 9223372036854775807"})
    void wholeNumbersAreLongs(String text, long value) {
        assertThat(Numbers.parse(text)).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource({"3.5, 3.5", "1e-3, 0.001", "-2., -2.0", ".5, 0.5", "1E3, 1000.0", "9.3e18, 9.3e18"})
    void fractionsAndExponentsAreDoubles(String text, double value) {
        assertThat(Numbers.parse(text)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nan", "NaN", "NAN", "-nan"})
    void nanInAnyCase(String text) {
        assertThat((Double) Numbers.parse(text)).isNaN();
    }

    @ParameterizedTest
    @CsvSource({"inf, Infinity", "Infinity, Infinity", "-inf, -Infinity", "+INF, Infinity", "-Infinity, -Infinity"})
    void infinitiesInAnyCase(String text, double value) {
        assertThat(Numbers.parse(text)).isEqualTo(value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1e309 | out of the range of a double",
        "-1e309 | out of the range of a double",
        "9223372036854775808 | out of the range of a 64-bit integer",
        "'' | an empty value",
        "'  ' | an empty value",
        "0x10 | not a number",
        "1_000 | not a number",
        "2f | not a number",
        "3d | not a number",
        "one | not a number",
        "1e | not a number",
        "infinite | not a number"})
    void everythingElseIsRefusedWithAReason(String text, String reason) {
        assertThatThrownBy(() -> Numbers.parse(text)).isInstanceOf(NumberFormatException.class).hasMessageContaining(reason);
    }
}
