package io.jvmpool.worker;

import io.jvmpool.proto.DType;
import io.jvmpool.shared.Float16;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * One output's values as little-endian elements of its numpy dtype, converted once, here, as numpy
 * converts them; a value the dtype can't hold fails the task instead of being stored wrong. For the
 * integer dtypes a double's fraction is dropped (numpy's {@code astype}), but NaN, infinities and
 * values out of range are refused; for the float dtypes a finite value that would round to infinity
 * is refused (float16 from 65520 on, float32 beyond 3.4028235e38); {@code bool} is {@code value != 0}
 * (so NaN is true), as numpy's {@code astype(bool)}.
 */
final class Elements {
    private static final double TWO_63 = 0x1p63;
    private static final double TWO_64 = 0x1p64;

    private final DType dtype;
    private final int output;

    /** @param output the output's position, for messages */
    Elements(DType dtype, int output) {
        this.dtype = dtype;
        this.output = output;
    }

    DType dtype() {
        return dtype;
    }

    /** Bytes per element. */
    int size() {
        return size(dtype);
    }

    static int size(DType dtype) {
        return switch (dtype) {
            case BOOL, INT8, UINT8 -> 1;
            case INT16, UINT16, FLOAT16 -> 2;
            case INT32, UINT32, FLOAT32 -> 4;
            default -> 8;
        };
    }

    void putDouble(ByteBuffer column, double v) {
        switch (dtype) {
            case FLOAT64 -> column.putDouble(v);
            case FLOAT32 -> {
                float f = (float) v;
                if (Float.isInfinite(f) && !Double.isInfinite(v)) {
                    throw cantHold(Double.toString(v));
                }
                column.putFloat(f);
            }
            case FLOAT16 -> {
                short h = Float16.fromDouble(v);
                if (Float16.isInfinite(h) && !Double.isInfinite(v)) {
                    throw cantHold(Double.toString(v));
                }
                column.putShort(h);
            }
            case BOOL -> column.put((byte) (v != 0 ? 1 : 0)); // NaN != 0, -0.0 == 0
            case INT8 -> column.put((byte) whole(v, -0x1p7, 0x1p7));
            case UINT8 -> column.put((byte) whole(v, 0, 0x1p8));
            case INT16 -> column.putShort((short) whole(v, -0x1p15, 0x1p15));
            case UINT16 -> column.putShort((short) whole(v, 0, 0x1p16));
            case INT32 -> column.putInt((int) whole(v, -0x1p31, 0x1p31));
            case UINT32 -> column.putInt((int) whole(v, 0, 0x1p32));
            case INT64 -> {
                if (!(v >= -TWO_63 && v < TWO_63)) { // -2^63 itself is an int64; NaN fails both
                    throw cantHold(Double.toString(v));
                }
                column.putLong((long) v);
            }
            case UINT64 -> {
                if (!(v > -1 && v < TWO_64)) { // NaN fails both
                    throw cantHold(Double.toString(v));
                }
                column.putLong(v >= TWO_63 ? (long) (v - TWO_63) + Long.MIN_VALUE : (long) v);
            }
            default -> throw new IllegalStateException("no dtype " + dtype);
        }
    }

    /** A double's whole part (toward zero), if it lies in [low, high) once truncated; throws otherwise. */
    private long whole(double v, double low, double high) {
        if (!(v > low - 1 && v < high)) { // NaN fails both
            throw cantHold(Double.toString(v));
        }
        return (long) v;
    }

    void putLong(ByteBuffer column, long v) {
        switch (dtype) {
            case INT64 -> column.putLong(v);
            case FLOAT64 -> column.putDouble((double) v);
            case FLOAT32 -> column.putFloat((float) v); // rounded to nearest, as numpy does
            case FLOAT16 -> putDouble(column, (double) v); // beyond 2^53 it overflows float16 anyway
            case BOOL -> column.put((byte) (v != 0 ? 1 : 0));
            case INT8 -> column.put((byte) inRange(v, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case UINT8 -> column.put((byte) inRange(v, 0, 0xff));
            case INT16 -> column.putShort((short) inRange(v, Short.MIN_VALUE, Short.MAX_VALUE));
            case UINT16 -> column.putShort((short) inRange(v, 0, 0xffff));
            case INT32 -> column.putInt((int) inRange(v, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UINT32 -> column.putInt((int) inRange(v, 0, 0xffff_ffffL));
            case UINT64 -> column.putLong(inRange(v, 0, Long.MAX_VALUE));
            default -> throw new IllegalStateException("no dtype " + dtype);
        }
    }

    private long inRange(long v, long low, long high) {
        if (v < low || v > high) {
            throw cantHold(Long.toString(v));
        }
        return v;
    }

    /**
     * A byte array: raw data for uint8 (each byte's 8 bits, 0..255, as image data comes) and
     * int8; for any other dtype each byte is its signed Java value.
     */
    void putBytes(ByteBuffer column, byte[] values) {
        if (dtype == DType.UINT8 || dtype == DType.INT8) {
            column.put(values);
        } else if (dtype == DType.BOOL) {
            for (byte b : values) {
                column.put((byte) (b != 0 ? 1 : 0));
            }
        } else {
            for (byte b : values) {
                putLong(column, b);
            }
        }
    }

    /** A short array: raw data for uint16 (each short's 16 bits, 0..65535) and int16; else each short's signed value. */
    void putShorts(ByteBuffer column, short[] values) {
        if (dtype == DType.UINT16 || dtype == DType.INT16) {
            column.asShortBuffer().put(values);
            column.position(column.position() + values.length * 2);
        } else {
            for (short v : values) {
                putLong(column, v);
            }
        }
    }

    void putBooleans(ByteBuffer column, boolean[] values) {
        for (boolean v : values) {
            putLong(column, v ? 1 : 0);
        }
    }

    void putFloats(ByteBuffer column, float[] values) {
        if (dtype == DType.FLOAT32) {
            column.asFloatBuffer().put(values);
            column.position(column.position() + values.length * 4);
        } else if (dtype == DType.FLOAT16) { // from the float's own bits: widening would quiet a signalling NaN
            for (float v : values) {
                short h = Float16.fromFloat(v);
                if (Float16.isInfinite(h) && !Float.isInfinite(v)) {
                    throw cantHold(Float.toString(v));
                }
                column.putShort(h);
            }
        } else {
            for (float v : values) {
                putDouble(column, v);
            }
        }
    }

    void putDoubles(ByteBuffer column, double[] values) {
        if (dtype == DType.FLOAT64) {
            column.asDoubleBuffer().put(values);
            column.position(column.position() + values.length * 8);
        } else {
            for (double v : values) {
                putDouble(column, v);
            }
        }
    }

    void putInts(ByteBuffer column, int[] values) {
        if (dtype == DType.INT32) {
            column.asIntBuffer().put(values);
            column.position(column.position() + values.length * 4);
        } else {
            for (int v : values) {
                putLong(column, v);
            }
        }
    }

    void putLongs(ByteBuffer column, long[] values) {
        if (dtype == DType.INT64) {
            column.asLongBuffer().put(values);
            column.position(column.position() + values.length * 8);
        } else {
            for (long v : values) {
                putLong(column, v);
            }
        }
    }

    /** The numpy name of the dtype. */
    String name() {
        return dtype.name().toLowerCase(Locale.ROOT);
    }

    private ArithmeticException cantHold(String value) {
        String range = switch (dtype) {
            case INT8 -> "whole numbers from -128 to 127";
            case UINT8 -> "whole numbers from 0 to 255";
            case INT16 -> "whole numbers from -32768 to 32767";
            case UINT16 -> "whole numbers from 0 to 65535";
            case INT32 -> "whole numbers from -2147483648 to 2147483647";
            case UINT32 -> "whole numbers from 0 to 4294967295";
            case INT64 -> "whole numbers from -9223372036854775808 to 9223372036854775807";
            case UINT64 -> "whole numbers from 0 to 18446744073709551615";
            case FLOAT16 -> "finite values up to +-65504, and nan and +-inf";
            default -> "finite values up to +-3.4028235e38, and nan and +-inf";
        };
        return new ArithmeticException("output #" + output + ": " + value + " can't be stored as " + name() + " (it holds " + range
                + "); choose a wider dtype or fix the value");
    }
}
