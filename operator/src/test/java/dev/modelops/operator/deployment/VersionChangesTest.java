package dev.modelops.operator.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import dev.modelops.api.version.DeploymentReference;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.ModelVersionStatus;
import dev.modelops.api.version.Rejection;
import dev.modelops.api.version.VersionPhase;
import dev.modelops.operator.common.Conditions;
import dev.modelops.operator.version.Versions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

class VersionChangesTest {

    private static ModelVersion ready() {
        ModelVersion v = Versions.version("iris", 3);
        ModelVersionStatus status = new ModelVersionStatus();
        status.setPhase(VersionPhase.Ready);
        status.setConditions(new ArrayList<>(List.of(condition("Ready", "True"), condition(
                Conditions.IN_USE, "False"))));
        v.setStatus(status);
        v.getMetadata().setResourceVersion("10");
        return v;
    }

    private static Condition condition(String type, String status) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason("R").withMessage("m")
                .withLastTransitionTime("2026-11-23T10:00:00Z").build();
    }

    private static ModelVersion changed(Consumer<ModelVersion> change) {
        ModelVersion v = ready();
        v.getMetadata().setResourceVersion("11");
        change.accept(v);
        return v;
    }

    @Test
    void whoServesAVersionIsNoneOfADeploymentsBusiness() {
        assertThat(VersionChanges.matterToDeployments(ready(), changed(v -> {
            DeploymentReference ref = new DeploymentReference();
            ref.setName("iris-prod");
            v.getStatus().setDeployments(List.of(ref));
            v.getStatus().getConditions().set(1, condition(Conditions.IN_USE, "True"));
        }))).isFalse();
        assertThat(VersionChanges.matterToDeployments(ready(), changed(v -> {
        }))).as("only the resourceVersion moved").isFalse();
    }

    @Test
    void everythingElseWakesTheDeployments() {
        assertThat(VersionChanges.matterToDeployments(ready(), changed(v -> v.getStatus().setPhase(
                VersionPhase.Failed)))).isTrue();
        assertThat(VersionChanges.matterToDeployments(ready(), changed(v -> v.getStatus().getConditions().set(0,
                condition("Ready", "False"))))).isTrue();
        assertThat(VersionChanges.matterToDeployments(ready(), changed(v -> {
            Rejection r = new Rejection();
            r.setDeployment("iris-prod");
            v.getStatus().setRejections(List.of(r));
        }))).isTrue();
        assertThat(VersionChanges.matterToDeployments(ready(), changed(v -> v.getMetadata().setLabels(
                java.util.Map.of("stage", "prod"))))).isTrue();
        assertThat(VersionChanges.matterToDeployments(ready(), changed(v -> v.getMetadata().setDeletionTimestamp(
                "2026-11-23T11:00:00Z")))).isTrue();
    }
}
