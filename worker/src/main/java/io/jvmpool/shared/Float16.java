package io.jvmpool.shared;

/**
 * IEEE 754 binary16 ({@code np.float16}), converted as numpy converts: a double is rounded straight
 * to the nearest float16, ties to even, with subnormals and signed zeros; beyond 65504 it rounds to
 * infinity (from 65520 on); NaN keeps its sign and the top bits of its payload. Java 17 has no
 * {@code Float.floatToFloat16} (Java 20 has), and a float's conversion is the same as its double's
 * (widening a float is exact), so one routine serves both.
 */
public final class Float16 {
    /** The bits of positive infinity. */
    public static final short POSITIVE_INFINITY = 0x7c00;
    /** The bits of numpy's NaN ({@code np.float16('nan')}). */
    public static final short NAN = 0x7e00;

    private Float16() {
    }

    /** The float16 nearest to {@code d}, as numpy's {@code npy_double_to_half} computes it. */
    public static short fromDouble(double d) {
        long bits = Double.doubleToRawLongBits(d);
        int sign = (int) (bits >>> 48) & 0x8000;
        int exponent = (int) (bits >>> 52) & 0x7ff;
        long mantissa = bits & 0xf_ffff_ffff_ffffL;
        if (exponent == 0x7ff) {
            if (mantissa == 0) {
                return (short) (sign | POSITIVE_INFINITY);
            }
            int payload = (int) (mantissa >>> 42) & 0x3ff;
            return (short) (sign | 0x7c00 | (payload == 0 ? 1 : payload)); // a NaN stays a NaN
        }
        if (exponent == 0) {
            return (short) sign; // zero, or a double subnormal: far below float16's smallest
        }
        int e = exponent - 1023;
        if (e > 15) {
            return (short) (sign | POSITIVE_INFINITY);
        }
        long significand = mantissa | (1L << 52); // 53 bits, the leading one included
        if (e >= -14) {
            // a normal float16: 11 significant bits; a carry out of rounding steps the exponent up (to infinity from 65520)
            return (short) (sign | ((e + 14) << 10) + (int) roundedShift(significand, 42));
        }
        int shift = 42 + (-14 - e); // a subnormal float16: in units of 2^-24
        return (short) (sign | (shift >= 64 ? 0 : (int) roundedShift(significand, shift)));
    }

    /**
     * The float16 nearest to {@code f}, as numpy's {@code npy_float_to_half}: the same as its double's,
     * but for a signalling NaN, which widening to a double would quiet (the hardware does).
     */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7f80_0000) == 0x7f80_0000 && (bits & 0x007f_ffff) != 0) {
            int payload = (bits >>> 13) & 0x3ff;
            return (short) ((bits >>> 16) & 0x8000 | 0x7c00 | (payload == 0 ? 1 : payload));
        }
        return fromDouble(f);
    }

    /** {@code value >>> shift}, rounded to the nearest, ties to even. */
    private static long roundedShift(long value, int shift) {
        long kept = value >>> shift;
        long rest = value & ((1L << shift) - 1);
        long half = 1L << (shift - 1);
        return rest > half || rest == half && (kept & 1) == 1 ? kept + 1 : kept;
    }

    /** The exact value of a float16, as a double (as {@code np.float16(x).astype(np.float64)}). */
    public static double toDouble(short h) {
        double sign = (h & 0x8000) != 0 ? -1.0 : 1.0;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            if (mantissa == 0) {
                return sign * Double.POSITIVE_INFINITY;
            }
            long nan = 0x7ff0_0000_0000_0000L | ((long) mantissa << 42) | ((h & 0x8000L) << 48);
            return Double.longBitsToDouble(nan);
        }
        if (exponent == 0) {
            return sign * mantissa * 0x1p-24; // subnormal (and signed zero)
        }
        return sign * (1024 + mantissa) * Math.scalb(1.0, exponent - 25);
    }

    /** Whether {@code h} is an infinity. */
    public static boolean isInfinite(short h) {
        return (h & 0x7fff) == POSITIVE_INFINITY;
    }
}
