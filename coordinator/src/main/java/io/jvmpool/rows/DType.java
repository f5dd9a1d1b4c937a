package io.jvmpool.rows;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The element types a batch array can have, with their numpy names. */
public enum DType {
    FLOAT32("float32", "<f4", 4, io.jvmpool.proto.DType.FLOAT32),
    FLOAT64("float64", "<f8", 8, io.jvmpool.proto.DType.FLOAT64),
    INT32("int32", "<i4", 4, io.jvmpool.proto.DType.INT32),
    INT64("int64", "<i8", 8, io.jvmpool.proto.DType.INT64);

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

    /** The numpy name, as given to {@code --dtype}. */
    public String numpyName() {
        return numpyName;
    }

    /** The {@code descr} of a {@code .npy} header: little-endian, e.g. {@code <f4}. */
    public String descr() {
        return descr;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64;
    }

    public io.jvmpool.proto.DType wire() {
        return wire;
    }

    /** The dtype named {@code name} ({@code float32}, ...). */
    public static DType parse(String name) {
        for (DType t : values()) {
            if (t.numpyName.equals(name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "': use one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(DType::numpyName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return numpyName;
    }
}
