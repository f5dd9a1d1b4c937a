package io.jvmpool.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * One output a task declares ({@link Task#outputs()}): its name, which names its files
 * ({@code <name>_para_<batch>.npy}), its numpy dtype ({@code "uint8"}, {@code "int64"}, ...; null to
 * take the job's {@code --dtype}) and, optionally, the shape of one task's value (null for any).
 *
 * <pre>{@code
 * Output.of("label", "int64"), Output.of("image", "uint8", 64, 64, 3), Output.of("score")
 * }</pre>
 */
public final class Output {
    private final String name;
    private final String dtype;
    private final int[] shape;

    private Output(String name, String dtype, int[] shape) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = dtype;
        this.shape = shape;
    }

    /** An output of the job's {@code --dtype} (float32 by default), of any shape. */
    public static Output of(String name) {
        return new Output(name, null, null);
    }

    /** An output of this numpy dtype; with a shape, every task's value must have it ({@code ()} for a scalar: give none). */
    public static Output of(String name, String dtype, int... shape) {
        return new Output(name, Objects.requireNonNull(dtype, "dtype"), shape.length == 0 ? null : shape.clone());
    }

    /** A scalar output of this numpy dtype: shape {@code ()}, checked. */
    public static Output scalar(String name, String dtype) {
        return new Output(name, Objects.requireNonNull(dtype, "dtype"), new int[0]);
    }

    public String name() {
        return name;
    }

    /** The numpy dtype's name, or null for the job's {@code --dtype}. */
    public String dtype() {
        return dtype;
    }

    /** The shape of one task's value ({@code []} for a scalar), or null when not declared. */
    public int[] shape() {
        return shape == null ? null : shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Output other && name.equals(other.name) && Objects.equals(dtype, other.dtype)
                && Arrays.equals(shape, other.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + (dtype == null ? "" : ":" + dtype) + (shape == null ? "" : Arrays.toString(shape));
    }
}
