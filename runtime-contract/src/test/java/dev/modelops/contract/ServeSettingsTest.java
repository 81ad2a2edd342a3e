package dev.modelops.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ServeSettingsTest {

    @Test
    void anEmptyEnvironmentGivesTheDocumentedDefaults() {
        ServeSettings settings = ServeSettings.fromEnvironment(Map.of());
        assertThat(settings).isEqualTo(ServeSettings.DEFAULTS);
        assertThat(settings.maxBatchSize()).isEqualTo(RuntimeContract.DEFAULT_MAX_BATCH_SIZE);
        assertThat(settings.maxBatchDelay()).isEqualTo(Duration.ZERO);
        assertThat(ServeSettings.DEFAULTS.environment()).isEmpty();
    }

    @Test
    void whatTheOperatorWritesTheRuntimeReadsBack() {
        ServeSettings wanted = new ServeSettings(8, Duration.ofMillis(2).plusNanos(500_000), 64, 1, 2);
        assertThat(ServeSettings.fromEnvironment(wanted.environment())).isEqualTo(wanted);
        assertThat(wanted.environment()).containsEntry(RuntimeContract.ENV_MAX_BATCH_DELAY, "2ms500us");
    }

    @Test
    void aBareNumberIsMilliseconds() {
        assertThat(ServeSettings.fromEnvironment(Map.of(RuntimeContract.ENV_MAX_BATCH_DELAY, "3")).maxBatchDelay())
                .isEqualTo(Duration.ofMillis(3));
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> ServeSettings.fromEnvironment(Map.of(RuntimeContract.ENV_MAX_BATCH_SIZE, "x")))
                .hasMessageContaining(RuntimeContract.ENV_MAX_BATCH_SIZE);
        assertThatThrownBy(() -> ServeSettings.fromEnvironment(Map.of(RuntimeContract.ENV_MAX_BATCH_DELAY, "2 ms")))
                .hasMessageContaining(RuntimeContract.ENV_MAX_BATCH_DELAY);
        assertThatThrownBy(() -> ServeSettings.fromEnvironment(Map.of(RuntimeContract.ENV_MAX_BATCH_SIZE, "0")))
                .hasMessageContaining("at least 1");
    }
}
