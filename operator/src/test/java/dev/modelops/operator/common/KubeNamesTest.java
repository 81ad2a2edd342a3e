package dev.modelops.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubeNamesTest {

    @Test
    void shortNamesAreKeptAndLongOnesHashedStably() {
        assertThat(KubeNames.fit("iris", 52)).isEqualTo("iris");
        String longName = "a-very-long-training-name-that-goes-on-and-on-and-on-for-ever-and-ever";
        String fitted = KubeNames.fit(longName, 52);
        assertThat(fitted).hasSizeLessThanOrEqualTo(52).startsWith("a-very-long")
                .isEqualTo(KubeNames.fit(longName, 52));
        assertThat(KubeNames.fit(longName + "x", 52)).isNotEqualTo(fitted);
    }

    @Test
    void envNames() {
        assertThat(KubeNames.envName("train-data")).isEqualTo("TRAIN_DATA");
    }
}
