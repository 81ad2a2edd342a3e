package dev.modelops.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfTest {

    @Test
    void everyHalfSurvivesARoundTripThroughFloat() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            float value = Half.toFloat((short) bits);
            if (Float.isNaN(value)) {
                assertThat(Float.isNaN(Half.toFloat(Half.fromFloat(value)))).isTrue();
            } else {
                assertThat(Half.fromFloat(value) & 0xffff).as("half 0x%04x", bits).isEqualTo(bits);
            }
        }
    }

    @Test
    void roundsToNearestEvenAndSaturatesToInfinity() {
        assertThat(Half.toFloat(Half.fromFloat(0.1f))).isEqualTo(0.099975586f);
        assertThat(Half.toFloat(Half.fromFloat(65504f))).isEqualTo(65504f);
        assertThat(Half.toFloat(Half.fromFloat(65520f))).isEqualTo(Float.POSITIVE_INFINITY);
        // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to the even mantissa, 1.
        assertThat(Half.toFloat(Half.fromFloat(1 + 0x1p-11f))).isEqualTo(1f);
        assertThat(Half.toFloat(Half.fromFloat(0x1p-24f))).isEqualTo(0x1p-24f);
        assertThat(Half.toFloat(Half.fromFloat(0x1p-26f))).isEqualTo(0f);
        assertThat(Half.bfloatToFloat(Half.bfloatFromFloat(1.5f))).isEqualTo(1.5f);
    }
}
