package io.jvmpool.testtasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sets output k to the values of {@code -P vK=a;b;c}, as the Java type {@code -P kindK=} (or
 * {@code -P kind=} for all) names: double (default), long, float, byte, short, boolean (nonzero), or a
 * double scalar (the first value).
 */
public class ValuesTask implements Task {
    private final List<String[]> values = new ArrayList<>();
    private final List<String> kinds = new ArrayList<>();

    @Override
    public void setup(Map<String, String> properties) {
        for (int k = 0; properties.containsKey("v" + k); k++) {
            values.add(properties.get("v" + k).split(";"));
            kinds.add(properties.getOrDefault("kind" + k, properties.getOrDefault("kind", "double")));
        }
    }

    @Override
    public void compute(long index, Args args, Outputs out) {
        for (int k = 0; k < values.size(); k++) {
            String[] v = values.get(k);
            int n = v.length;
            switch (kinds.get(k)) {
                case "long" -> {
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = Long.parseLong(v[i]);
                    }
                    out.set(k, a);
                }
                case "float" -> {
                    float[] a = new float[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = Float.parseFloat(v[i]);
                    }
                    out.set(k, a);
                }
                case "byte" -> {
                    byte[] a = new byte[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = (byte) Integer.parseInt(v[i]);
                    }
                    out.set(k, a);
                }
                case "short" -> {
                    short[] a = new short[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = (short) Integer.parseInt(v[i]);
                    }
                    out.set(k, a);
                }
                case "boolean" -> {
                    boolean[] a = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = Double.parseDouble(v[i]) != 0;
                    }
                    out.set(k, a);
                }
                case "scalar" -> out.set(k, Double.parseDouble(v[0]));
                default -> {
                    double[] a = new double[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = Double.parseDouble(v[i]);
                    }
                    out.set(k, a);
                }
            }
        }
    }
}
