package io.jvmpool.tasks;

import io.jvmpool.api.Args;
import io.jvmpool.api.Outputs;
import io.jvmpool.api.Task;
import java.math.BigInteger;
import java.util.Map;

/**
 * The seed's {@code yourfunction(p1, p2, p3, p4)}: {@code (p1 * sum(t*t for t in range(loop)), p2, p3 + p4)}.
 *
 * <p>The sum is kept exact in 128 bits, as Python's integers are, and turned into a double the way
 * Python's {@code float(int)} does, so that the float32 written equals what numpy writes.
 */
public final class SeedTask implements Task {
    public static final long DEFAULT_LOOP = 10_000_000L;

    private long loop = DEFAULT_LOOP;

    @Override
    public void setup(Map<String, String> properties) {
        String value = properties.get("loop");
        if (value != null) {
            loop = Long.parseLong(value.trim());
            if (loop < 0 || loop > 3_000_000_000L) {
                throw new IllegalArgumentException("loop must be between 0 and 3e9, got " + value);
            }
        }
    }

    @Override
    public void compute(long index, Args args, Outputs out) {
        if (args.size() != 4) {
            throw new IllegalArgumentException("the seed task takes 4 arguments (p1,p2,p3,p4), got " + args.size());
        }
        BigInteger sum = sumOfSquares(loop);
        out.set(0, args.isInteger(0)
                ? sum.multiply(BigInteger.valueOf(args.getLong(0))).doubleValue()
                : sum.doubleValue() * args.getDouble(0));
        setNumber(out, 1, args, 1);
        if (args.isInteger(2) && args.isInteger(3)) {
            out.set(2, args.getLong(2) + args.getLong(3));
        } else {
            out.set(2, args.getDouble(2) + args.getDouble(3));
        }
    }

    /** sum(t*t for t in range(n)) computed term by term (the CPU work is the point), exactly. */
    static BigInteger sumOfSquares(long n) {
        long low = 0;
        long high = 0;
        for (long t = 0; t < n; t++) {
            long square = t * t; // t < 3e9, so t*t < 2^63
            long before = low;
            low += square;
            if (Long.compareUnsigned(low, before) < 0) {
                high++;
            }
        }
        return BigInteger.valueOf(high).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(low)));
    }

    private static void setNumber(Outputs out, int k, Args args, int i) {
        if (args.isInteger(i)) {
            out.set(k, args.getLong(i));
        } else {
            out.set(k, args.getDouble(i));
        }
    }
}
