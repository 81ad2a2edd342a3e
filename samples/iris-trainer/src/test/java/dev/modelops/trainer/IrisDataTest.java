package dev.modelops.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class IrisDataTest {

    @Test
    void theShippedDataIsFishersIris() {
        IrisData data = IrisData.load();
        assertThat(data.size()).isEqualTo(150);
        for (int c = 0; c < 3; c++) {
            int cls = c;
            assertThat(Arrays.stream(data.labels()).filter(l -> l == cls).count()).isEqualTo(50);
        }
        double[] mean = new double[4];
        for (double[] row : data.features()) {
            for (int f = 0; f < 4; f++) {
                mean[f] += row[f] / 150;
            }
        }
        assertThat(mean[0]).isCloseTo(5.843, within(0.001));
        assertThat(mean[1]).isCloseTo(3.054, within(0.004)); // 3.057 in Fisher's paper; 3.054 in the UCI copy
        assertThat(mean[2]).isCloseTo(3.759, within(0.001));
        assertThat(mean[3]).isCloseTo(1.199, within(0.001));
    }

    @Test
    void splitIsStratifiedAndDeterministic() {
        IrisData data = IrisData.load();
        StratifiedSplit a = StratifiedSplit.of(data.labels(), 3, 0.2, 7);
        StratifiedSplit b = StratifiedSplit.of(data.labels(), 3, 0.2, 7);
        assertThat(a.test()).isEqualTo(b.test());
        assertThat(a.test()).hasSize(30);
        assertThat(a.train()).hasSize(120);
        for (int c = 0; c < 3; c++) {
            int cls = c;
            assertThat(Arrays.stream(a.test()).filter(i -> data.labels()[i] == cls).count()).isEqualTo(10);
        }
        assertThat(Arrays.stream(a.train()).filter(i -> Arrays.stream(a.test()).anyMatch(t -> t == i))).isEmpty();
        assertThat(StratifiedSplit.of(data.labels(), 3, 0.2, 8).test()).isNotEqualTo(a.test());
    }

    @Test
    void trainingLearnsAndFoldingStandardisationKeepsPredictions() {
        IrisData data = IrisData.load();
        StratifiedSplit split = StratifiedSplit.of(data.labels(), 3, 0.2, 42);
        Mlp mlp = new Mlp(4, 16, 3, 42);
        double loss = mlp.train(data.features(), data.labels(), split.train(), 300, 0.05);
        assertThat(loss).isLessThan(0.3);
        // The folded first layer on raw inputs gives the same hidden pre-activations as standardise-then-W1.
        float[][] w = mlp.foldedW1();
        float[] b = mlp.foldedB1();
        double[] raw = data.features()[10];
        for (int j = 0; j < 16; j++) {
            double folded = b[j];
            double direct = mlp.b1[j];
            for (int i = 0; i < 4; i++) {
                folded += raw[i] * w[i][j];
                direct += (raw[i] - mlp.mean[i]) / mlp.std[i] * mlp.w1[i][j];
            }
            assertThat(folded).isCloseTo(direct, within(1e-4));
        }
    }
}
