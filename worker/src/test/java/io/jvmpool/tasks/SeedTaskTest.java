package io.jvmpool.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SeedTaskTest {

    @Test
    void sumOfSquaresIsExactBeyond64Bits() {
        for (long n : new long[] {0, 1, 2, 1000, 3_037_000, 10_000_000}) {
            BigInteger big = BigInteger.valueOf(n);
            // sum(t*t for t in range(n)) = (n-1) n (2n-1) / 6
            BigInteger expected = big.subtract(BigInteger.ONE).multiply(big).multiply(big.shiftLeft(1).subtract(BigInteger.ONE))
                    .divide(BigInteger.valueOf(6));
            assertThat(SeedTask.sumOfSquares(n)).as("n=%d", n).isEqualTo(n == 0 ? BigInteger.ZERO : expected);
        }
        assertThat(SeedTask.sumOfSquares(10_000_000)).isEqualTo(new BigInteger("333333283333335000000"));
    }
}
