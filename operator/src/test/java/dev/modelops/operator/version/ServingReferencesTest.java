package dev.modelops.operator.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import dev.modelops.api.deployment.DeploymentPhase;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.ModelDeploymentSpec;
import dev.modelops.api.deployment.ModelDeploymentStatus;
import dev.modelops.api.deployment.TrackStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

class ServingReferencesTest {

    private static TrackStatus track(String version, int ready) {
        TrackStatus track = new TrackStatus();
        track.setModelVersion(version);
        track.setReadyReplicas(ready);
        return track;
    }

    private static ModelDeployment serving(Consumer<ModelDeploymentStatus> status) {
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withName("iris-prod").withNamespace("ml").build());
        ModelDeploymentSpec spec = new ModelDeploymentSpec();
        spec.setModel("iris");
        md.setSpec(spec);
        ModelDeploymentStatus s = new ModelDeploymentStatus();
        s.setPhase(DeploymentPhase.Progressing);
        s.setStable(track("iris-v1", 0));
        status.accept(s);
        md.setStatus(s);
        return md;
    }

    @Test
    void progressOnTheSameVersionsWakesNoVersion() {
        ModelDeployment before = serving(s -> {
        });
        ModelDeployment after = serving(s -> {
            s.setPhase(DeploymentPhase.Healthy);
            s.setStable(track("iris-v1", 2));
        });
        assertThat(ServingReferences.servingChanged(before, after)).isFalse();
    }

    @Test
    void aNewVersionOrTrackOrModelDoes() {
        ModelDeployment before = serving(s -> {
        });
        assertThat(ServingReferences.servingChanged(before, serving(s -> s.setStable(track("iris-v2", 0)))))
                .isTrue();
        assertThat(ServingReferences.servingChanged(before, serving(s -> s.setCanary(track("iris-v2", 0)))))
                .isTrue();
        assertThat(ServingReferences.servingChanged(before, serving(s -> {
            s.setStable(null);
            s.setCanary(track("iris-v1", 0));
        }))).as("the same version on the other track").isTrue();
        ModelDeployment otherModel = serving(s -> {
        });
        otherModel.getSpec().setModel("wine");
        assertThat(ServingReferences.servingChanged(before, otherModel)).isTrue();
        ModelDeployment noStatus = serving(s -> {
        });
        noStatus.setStatus(null);
        assertThat(ServingReferences.servingChanged(noStatus, before)).isTrue();
    }
}
