package dev.modelops.operator.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.modelops.api.version.Rejection;

class VersionRejectionsTest {

    private static Rejection rejection(String deployment, String time) {
        Rejection r = new Rejection();
        r.setDeployment(deployment);
        r.setTime(time);
        r.setReason("AnalysisFailed");
        return r;
    }

    @Test
    void appendsOnceAndKeepsTheNewest() {
        List<Rejection> one = VersionRejections.withRejection(null, rejection("iris", "2026-11-22T10:00:00Z"));
        assertThat(one).hasSize(1);
        assertThat(VersionRejections.withRejection(one, rejection("iris", "2026-11-22T10:00:00Z")))
                .as("the same rejection twice is recorded once").hasSize(1);
        assertThat(VersionRejections.withRejection(one, rejection("iris", "2026-11-22T11:00:00Z")))
                .as("a deployment's rejection stands until a retry clears it").hasSize(1);

        List<Rejection> many = new ArrayList<>();
        for (int i = 0; i < VersionRejections.MAX_KEPT; i++) {
            many = VersionRejections.withRejection(many, rejection("d" + i, "2026-11-22T10:00:00Z"));
        }
        List<Rejection> bounded = VersionRejections.withRejection(many, rejection("last", "2026-11-22T11:00:00Z"));
        assertThat(bounded).hasSize(VersionRejections.MAX_KEPT);
        assertThat(bounded.get(0).getDeployment()).isEqualTo("d1");
        assertThat(bounded.get(bounded.size() - 1).getDeployment()).isEqualTo("last");
    }
}
