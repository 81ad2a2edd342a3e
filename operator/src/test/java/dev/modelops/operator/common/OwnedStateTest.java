package dev.modelops.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

class OwnedStateTest {

    private static Deployment desired() {
        return new DeploymentBuilder().withNewMetadata().withName("d").addToLabels("app", "x").endMetadata()
                .withNewSpec().withReplicas(2).withNewTemplate().withNewSpec().addNewContainer().withName("c")
                .withImage("i").withNewResources().addToRequests("cpu", new Quantity("0.5"))
                .addToLimits("memory", new Quantity("1Gi")).endResources().addNewVolumeMount().withName("v")
                .withMountPath("/v").withReadOnly(false).endVolumeMount().endContainer().endSpec().endTemplate()
                .endSpec().build();
    }

    @Test
    void defaultsTheApiServerAddsAreNotDrift() {
        Deployment actual = new DeploymentBuilder(desired()).editMetadata().withResourceVersion("7")
                .addToLabels("argocd", "y").endMetadata().editSpec().withProgressDeadlineSeconds(600)
                .editTemplate().editSpec().withRestartPolicy("Always").editContainer(0)
                .withImagePullPolicy("IfNotPresent").withTerminationMessagePath("/dev/termination-log")
                .withNewResources().addToRequests("cpu", new Quantity("500m"))
                .addToLimits("memory", new Quantity("1024Mi")).endResources()
                .withVolumeMounts(new io.fabric8.kubernetes.api.model.VolumeMountBuilder().withName("v")
                        .withMountPath("/v").build())
                .endContainer().endSpec().endTemplate().endSpec().build();
        assertThat(OwnedState.matches(desired(), actual)).isTrue();
    }

    @Test
    void aChangedOrMissingFieldWeSetIsDrift() {
        assertThat(OwnedState.matches(desired(), new DeploymentBuilder(desired()).editSpec().withReplicas(7)
                .endSpec().build())).isFalse();
        assertThat(OwnedState.matches(desired(), new DeploymentBuilder(desired()).editSpec().editTemplate()
                .editSpec().editContainer(0).withImage("other").endContainer().endSpec().endTemplate().endSpec()
                .build())).isFalse();
        assertThat(OwnedState.matches(desired(), new DeploymentBuilder(desired()).editMetadata().withLabels(null)
                .endMetadata().build())).isFalse();
    }

    @Test
    void theDigestIsOfWhatWeWantAndStampingTwiceChangesNothing() {
        OwnedState.Desired<Deployment> first = OwnedState.stamp(desired());
        assertThat(first.object().getMetadata().getAnnotations()).containsEntry(OwnedResources.DESIRED_HASH,
                first.digest());
        assertThat(first.tree().path("metadata").path("annotations").path(OwnedResources.DESIRED_HASH).asText())
                .isEqualTo(first.digest());
        assertThat(OwnedState.stamp(first.object()).digest()).as("its own annotation is not part of the digest")
                .isEqualTo(first.digest());
        assertThat(OwnedState.stamp(new DeploymentBuilder(desired()).editSpec().withReplicas(3).endSpec().build())
                .digest()).isNotEqualTo(first.digest());

        Deployment stored = new DeploymentBuilder(first.object()).editMetadata().withResourceVersion("9")
                .endMetadata().build();
        assertThat(first.isCoveredBy(stored)).isTrue();
        Deployment stale = new DeploymentBuilder(stored).editMetadata()
                .addToAnnotations(OwnedResources.DESIRED_HASH, "0123456789abcdef").endMetadata().build();
        assertThat(first.isCoveredBy(stale)).as("an object written for what we wanted before").isFalse();
    }

    @Test
    void aReplacementKeepsWhatOthersOwn() {
        Service desired = new ServiceBuilder().withNewMetadata().withName("s").addToLabels("app", "x").endMetadata()
                .withNewSpec().addToSelector("app", "x").addNewPort().withPort(80).withTargetPort(new IntOrString(
                        "http"))
                .endPort().endSpec().build();
        Service actual = new ServiceBuilder(desired).editMetadata().addToLabels("team", "ml").endMetadata()
                .editSpec().withClusterIP("10.0.0.7").withSessionAffinity("None").withSelector(null).endSpec()
                .build();
        Service update = OwnedState.replacement(desired, actual);
        assertThat(update.getSpec().getClusterIP()).isEqualTo("10.0.0.7");
        assertThat(update.getSpec().getSelector()).containsEntry("app", "x");
        assertThat(update.getMetadata().getLabels()).containsEntry("team", "ml").containsEntry("app", "x");
        assertThat(update.getSpec().getSessionAffinity()).as("the API server defaults it again").isNull();
    }
}
