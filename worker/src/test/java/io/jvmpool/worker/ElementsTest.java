package io.jvmpool.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jvmpool.proto.DType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Conversions on their own: what each dtype refuses, and how it says so (numpy's values are checked in ValueRangeTest). */
class ElementsTest {
    private static ByteBuffer column() {
        return ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "double | INT8 | 128 | output #3: 128.0 can't be stored as int8 (it holds whole numbers from -128 to 127)",
        "double | UINT8 | -1 | output #3: -1.0 can't be stored as uint8",
        "double | UINT8 | 256 | output #3: 256.0 can't be stored as uint8",
        "double | INT16 | 32768 | output #3: 32768.0 can't be stored as int16",
        "double | UINT16 | NaN | output #3: NaN can't be stored as uint16",
        "double | UINT32 | 4294967296 | output #3: 4.294967296E9 can't be stored as uint32",
        "double | INT32 | -Infinity | output #3: -Infinity can't be stored as int32",
        "double | UINT64 | 1.8446744073709552e19 | output #3: 1.8446744073709552E19 can't be stored as uint64",
        "double | INT64 | 9.223372036854775808e18 | output #3: 9.223372036854776E18 can't be stored as int64",
        "double | FLOAT16 | 65520 | output #3: 65520.0 can't be stored as float16 (it holds finite values up to +-65504, and nan and +-inf)",
        "double | FLOAT16 | -1e5 | output #3: -100000.0 can't be stored as float16",
        "double | FLOAT32 | 3.4028235677973366e38 | output #3: 3.4028235677973366E38 can't be stored as float32",
        "float | FLOAT16 | 3.4028235e38 | output #3: 3.4028235E38 can't be stored as float16",
        "long | UINT64 | -1 | output #3: -1 can't be stored as uint64",
        "long | UINT8 | 256 | output #3: 256 can't be stored as uint8",
        "long | INT32 | 3000000000 | output #3: 3000000000 can't be stored as int32",
        "long | FLOAT16 | 65520 | output #3: 65520.0 can't be stored as float16",
        "byte | UINT16 | -1 | output #3: -1 can't be stored as uint16"})
    void aValueBeyondItsDtypeIsRefusedWithTheValueAndTheRange(String kind, DType dtype, String value, String message) {
        Elements e = new Elements(dtype, 3);
        ByteBuffer c = column();
        assertThatThrownBy(() -> {
            switch (kind) {
                case "long" -> e.putLong(c, Long.parseLong(value));
                case "float" -> e.putFloats(c, new float[] {Float.parseFloat(value)});
                case "byte" -> e.putBytes(c, new byte[] {Byte.parseByte(value)});
                default -> e.putDouble(c, Double.parseDouble(value));
            }
        }).isInstanceOf(ArithmeticException.class).hasMessageStartingWith(message);
    }

    @Test
    void theEdgesOfEachRangeFit() {
        ByteBuffer c = column();
        new Elements(DType.INT64, 0).putDouble(c, -0x1p63);
        new Elements(DType.UINT64, 0).putDouble(c, 0x1p64 - 2048);
        new Elements(DType.UINT8, 0).putDouble(c, -0.9);
        new Elements(DType.FLOAT16, 0).putDouble(c, 65519.99);
        new Elements(DType.FLOAT16, 0).putDouble(c, Double.NEGATIVE_INFINITY);
        new Elements(DType.UINT32, 0).putLong(c, 0xffff_ffffL);
        c.flip();
        assertThat(c.getLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(Long.toUnsignedString(c.getLong())).isEqualTo("18446744073709549568");
        assertThat(c.get()).isZero();
        assertThat(c.getShort()).isEqualTo((short) 0x7bff); // 65504
        assertThat(c.getShort()).isEqualTo((short) 0xfc00);
        assertThat(c.getInt()).isEqualTo(-1);
    }

    @Test
    void boolIsNonzeroAsNumpysAstypeBool() {
        ByteBuffer c = column();
        Elements bool = new Elements(DType.BOOL, 0);
        for (double v : new double[] {0, -0.0, Double.NaN, 1e-300, -2}) {
            bool.putDouble(c, v);
        }
        c.flip();
        assertThat(new byte[] {c.get(), c.get(), c.get(), c.get(), c.get()}).containsExactly(0, 0, 1, 1, 1);
    }
}
