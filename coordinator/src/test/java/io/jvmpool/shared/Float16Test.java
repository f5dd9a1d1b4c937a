package io.jvmpool.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.jvmpool.testing.Numpy;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** float16 conversions against numpy's own, bit for bit. */
class Float16Test {
    @TempDir
    Path dir;

    @Test
    void everyFloat16RoundTripsAndEveryDoubleRoundsAsNumpyRoundsIt() throws Exception {
        // numpy makes the inputs and its answers: all 65,536 float16 patterns (as float64), a million random
        // float64 values of every kind (raw bit patterns, values near float16's range, ties and their
        // neighbours, subnormal and overflow edges) and their float16 bits
        Numpy.run("""
                import sys, numpy as np
                out = sys.argv[1]
                rng = np.random.default_rng(20)
                halves = np.arange(65536, dtype=np.uint16).view(np.float16)
                halves.astype(np.float64).tofile(out + '/halves_as_f64')
                halves.astype(np.float32).tofile(out + '/halves_as_f32')
                # numpy's way back (it quiets a signalling NaN on the way, so not every pattern round-trips)
                halves.astype(np.float64).astype(np.float16).view(np.uint16).tofile(out + '/halves_back')
                n = 1_000_000
                parts = [rng.integers(0, 2**64, n // 5, dtype=np.uint64).view(np.float64),          # any bits
                         rng.uniform(-70000, 70000, n // 5),                                        # around the range
                         np.ldexp(rng.uniform(0.5, 1, n // 5), rng.integers(-30, 17, n // 5))]      # every binade
                # exact ties between neighbouring float16 values, and the doubles just either side of each
                h = rng.integers(0, 0x7c00, n // 10, dtype=np.uint16).view(np.float16).astype(np.float64)
                nxt = np.nextafter(h.astype(np.float16), np.float16(np.inf)).astype(np.float64)
                tie = (h + nxt) / 2
                parts += [tie, np.nextafter(tie, np.inf), np.nextafter(tie, -np.inf)]
                edges = np.array([0.0, -0.0, 65504, 65519.99, 65520, 65535, -65520, 2**-24, 2**-25, 2**-25 * 1.0000001,
                                  3 * 2**-26, 2**-14, 2**-14 - 2**-25, np.inf, -np.inf, np.nan, -np.nan, 1e300, -1e-300, 5e-324])
                x = np.concatenate(parts + [edges, -np.concatenate(parts)])
                with np.errstate(all='ignore'):
                    x.tofile(out + '/doubles')
                    x.astype(np.float16).view(np.uint16).tofile(out + '/doubles_to_f16')
                    f = x.astype(np.float32)
                    f.tofile(out + '/floats')
                    f.astype(np.float16).view(np.uint16).tofile(out + '/floats_to_f16')
                """, dir.toString());
        ByteBuffer halvesAsDoubles = read("halves_as_f64");
        ByteBuffer halvesAsFloats = read("halves_as_f32");
        ByteBuffer back = read("halves_back");
        int mismatches = 0;
        String first = null;
        for (int bits = 0; bits < 65536; bits++) {
            double d = halvesAsDoubles.getDouble();
            float f = halvesAsFloats.getFloat();
            short numpyBack = back.getShort();
            boolean quieted = numpyBack != (short) bits; // a signalling NaN: numpy quiets it, as the hardware does
            boolean same = Float16.fromDouble(d) == numpyBack && Float16.fromFloat(f) == numpyBack
                    && (quieted || Double.doubleToRawLongBits(Float16.toDouble((short) bits)) == Double.doubleToRawLongBits(d));
            if (!same) {
                mismatches++;
                first = first != null ? first : Integer.toHexString(bits);
            }
        }
        assertThat(mismatches).as("float16 patterns converted unlike numpy; first: " + first).isZero();
        assertSameAsNumpy("doubles", "doubles_to_f16", false);
        assertSameAsNumpy("floats", "floats_to_f16", true);
    }

    private void assertSameAsNumpy(String inputs, String answers, boolean floats) throws Exception {
        ByteBuffer in = read(inputs);
        ByteBuffer want = read(answers);
        int n = 0;
        int wrong = 0;
        String first = null;
        while (want.hasRemaining()) {
            float f = floats ? in.getFloat() : 0;
            double x = floats ? f : in.getDouble();
            short expected = want.getShort();
            short got = floats ? Float16.fromFloat(f) : Float16.fromDouble(x);
            n++;
            if (got != expected) {
                wrong++;
                if (first == null) {
                    first = x + " (" + Long.toHexString(Double.doubleToRawLongBits(x)) + "): numpy " + Integer.toHexString(expected & 0xffff)
                            + ", ours " + Integer.toHexString(got & 0xffff);
                }
            }
        }
        assertThat(n).isGreaterThan(1_000_000);
        assertThat(wrong).as(inputs + " rounded unlike numpy; first: " + first).isZero();
    }

    private ByteBuffer read(String name) throws Exception {
        return ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name))).order(ByteOrder.LITTLE_ENDIAN);
    }
}
