package io.jvmpool.rows;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The element types a batch array can have, by numpy's names, with their {@code .npy} descr. */
public enum DType {
    FLOAT32("float32", "<f4", 4, io.jvmpool.proto.DType.FLOAT32),
    FLOAT64("float64", "<f8", 8, io.jvmpool.proto.DType.FLOAT64),
    INT32("int32", "<i4", 4, io.jvmpool.proto.DType.INT32),
    INT64("int64", "<i8", 8, io.jvmpool.proto.DType.INT64),
    BOOL("bool", "|b1", 1, io.jvmpool.proto.DType.BOOL),
    INT8("int8", "|i1", 1, io.jvmpool.proto.DType.INT8),
    UINT8("uint8", "|u1", 1, io.jvmpool.proto.DType.UINT8),
    INT16("int16", "<i2", 2, io.jvmpool.proto.DType.INT16),
    UINT16("uint16", "<u2", 2, io.jvmpool.proto.DType.UINT16),
    UINT32("uint32", "<u4", 4, io.jvmpool.proto.DType.UINT32),
    UINT64("uint64", "<u8", 8, io.jvmpool.proto.DType.UINT64),
    FLOAT16("float16", "<f2", 2, io.jvmpool.proto.DType.FLOAT16);

    private final String numpyName;
    private final String descr;
    private final int size;
    private final io.jvmpool.proto.DType wire;

    DType(String numpyName, String descr, int size, io.jvmpool.proto.DType wire) {
        this.numpyName = numpyName;
        this.descr = descr;
        this.size = size;
        this.wire = wire;
    }

    /** The numpy name, as given to {@code --dtype} and {@code --outputs name:dtype}. */
    public String numpyName() {
        return numpyName;
    }

    /** The {@code descr} of a {@code .npy} header, as numpy writes it: {@code <f4}, {@code |u1}. */
    public String descr() {
        return descr;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    public boolean isFloating() {
        return this == FLOAT16 || this == FLOAT32 || this == FLOAT64;
    }

    public io.jvmpool.proto.DType wire() {
        return wire;
    }

    /** The dtype of a wire value. */
    public static DType of(io.jvmpool.proto.DType wire) {
        for (DType t : values()) {
            if (t.wire == wire) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype on the wire: " + wire);
    }

    /** The dtype named {@code name} ({@code float32}, {@code uint8}, ...), as numpy names it. */
    public static DType parse(String name) {
        for (DType t : values()) {
            if (t.numpyName.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "': use one of " + names());
    }

    /** Every name, in numpy's order of kinds and sizes. */
    public static String names() {
        return Arrays.stream(values()).sorted(java.util.Comparator.comparing(DType::order))
                .map(DType::numpyName).collect(Collectors.joining(", "));
    }

    /** bool, the signed and unsigned integers by size, then the floats. */
    private int order() {
        return switch (this) {
            case BOOL -> 0;
            case INT8 -> 1;
            case UINT8 -> 2;
            case INT16 -> 3;
            case UINT16 -> 4;
            case INT32 -> 5;
            case UINT32 -> 6;
            case INT64 -> 7;
            case UINT64 -> 8;
            case FLOAT16 -> 9;
            case FLOAT32 -> 10;
            case FLOAT64 -> 11;
        };
    }

    @Override
    public String toString() {
        return numpyName;
    }
}
