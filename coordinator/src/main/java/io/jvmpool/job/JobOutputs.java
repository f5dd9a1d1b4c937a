package io.jvmpool.job;

import io.jvmpool.api.Output;
import io.jvmpool.rows.DType;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's outputs, in order: each one's name (its files are {@code <name>_para_<batch>.npy}) and
 * dtype. They come from what the caller gives ({@code --outputs label:int64,image:uint8,score}),
 * from what the task declares ({@code Task.outputs()}), or both, which must then agree; an output
 * without a dtype of its own takes the job's default ({@code --dtype}).
 */
public record JobOutputs(List<String> names, List<DType> dtypes) {
    /** The names a task that declares nothing gets when none are given: the seed's. */
    public static final List<String> DEFAULT_NAMES = List.of("label", "feature", "maybeother");

    public JobOutputs {
        names = List.copyOf(names);
        dtypes = List.copyOf(dtypes);
    }

    /**
     * @param given        {@code name} or {@code name:dtype} per output, or null when none were given
     * @param defaultType  the dtype of an output that names none
     * @param declared     what the task declares (empty: nothing)
     * @param task         the task, for messages
     * @param option       how the caller names the outputs option, for messages ({@code --outputs})
     * @throws IllegalArgumentException with a one-line reason when a dtype is unknown or the two disagree
     */
    public static JobOutputs resolve(List<String> given, DType defaultType, List<Output> declared, String task, String option) {
        if (given == null && declared.isEmpty()) {
            given = DEFAULT_NAMES;
        }
        List<String> names = new ArrayList<>();
        List<DType> types = new ArrayList<>();
        if (given != null) {
            for (String entry : given) {
                int colon = entry.indexOf(':');
                names.add(colon < 0 ? entry.strip() : entry.substring(0, colon).strip());
                types.add(colon < 0 ? null : parse(entry.substring(colon + 1), option + " " + entry));
            }
        }
        if (!declared.isEmpty()) {
            if (given != null) {
                List<String> declaredNames = declared.stream().map(Output::name).toList();
                if (!declaredNames.equals(names)) {
                    throw new IllegalArgumentException(option + " " + String.join(",", given) + " disagrees with the outputs task " + task
                            + " declares (" + describe(declared) + "): leave " + option + " out, or give the same names in the same order");
                }
            }
            for (int k = 0; k < declared.size(); k++) {
                Output d = declared.get(k);
                DType own = d.dtype() == null ? null : parse(d.dtype(), "task " + task + " declares output '" + d.name() + "' with a dtype that");
                if (given == null) {
                    names.add(d.name());
                    types.add(own);
                } else if (own != null && types.get(k) != null && own != types.get(k)) {
                    throw new IllegalArgumentException(option + " gives output '" + d.name() + "' the dtype " + types.get(k) + " but task "
                            + task + " declares " + own + ": give the same, or leave it out of " + option);
                } else if (own != null) {
                    types.set(k, own);
                }
            }
        }
        types.replaceAll(t -> t == null ? defaultType : t);
        JobChecks.outputs(names, option);
        return new JobOutputs(names, types);
    }

    /** Whether every output is of {@code type}. */
    public boolean allOf(DType type) {
        return dtypes.stream().allMatch(t -> t == type);
    }

    /** {@code name:dtype,...} */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            parts.add(names.get(k) + ":" + dtypes.get(k));
        }
        return String.join(",", parts);
    }

    private static DType parse(String name, String where) {
        try {
            return DType.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }

    private static String describe(List<Output> declared) {
        return String.join(",", declared.stream().map(Output::toString).toList());
    }
}
