package dev.modelops.operator.deployment;

import static dev.modelops.operator.deployment.Deployments.md;
import static dev.modelops.operator.deployment.Deployments.rejected;
import static dev.modelops.operator.deployment.Deployments.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.modelops.api.deployment.Gates;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.RegressionGate;
import dev.modelops.api.deployment.VersionPolicy;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.VersionPhase;
import dev.modelops.operator.deployment.VersionResolver.Problem;
import dev.modelops.operator.deployment.VersionResolver.Resolution;

class VersionResolverTest {

    private static Resolution pinned(int wanted, List<ModelVersion> versions, ModelVersion stable) {
        ModelDeployment md = md("iris", "iris");
        md.getSpec().setVersion(wanted);
        return VersionResolver.resolve(DeploymentSettings.of(md, Deployments.IMAGE), versions, stable);
    }

    private static Resolution latest(List<ModelVersion> versions, ModelVersion stable, Gates gates) {
        ModelDeployment md = md("iris", "iris");
        md.getSpec().setVersionPolicy(VersionPolicy.Latest);
        md.getSpec().getRollout().setGates(gates);
        return VersionResolver.resolve(DeploymentSettings.of(md, Deployments.IMAGE), versions, stable);
    }

    @Test
    void aPinnedVersionIsServedOnlyWhenReady() {
        ModelVersion ready = version("iris", 3, VersionPhase.Ready, null);
        assertThat(pinned(3, List.of(ready), null).target()).isSameAs(ready);
        assertThat(pinned(4, List.of(ready), null).problem()).isEqualTo(Problem.VersionNotFound);
        assertThat(pinned(3, List.of(version("iris", 3, VersionPhase.Validating, null)), null).problem())
                .isEqualTo(Problem.VersionNotReady);
        assertThat(pinned(3, List.of(version("iris", 3, VersionPhase.Pending, null)), null).problem())
                .isEqualTo(Problem.VersionNotReady);
        assertThat(pinned(3, List.of(version("iris", 3, VersionPhase.Failed, null)), null).problem())
                .isEqualTo(Problem.VersionFailed);
        assertThat(pinned(3, List.of(rejected(version("iris", 3, VersionPhase.Ready, null), "iris")), null)
                .problem()).isEqualTo(Problem.VersionRejected);
        assertThat(pinned(3, List.of(rejected(version("iris", 3, VersionPhase.Ready, null), "other")), null)
                .target()).as("another deployment's rejection does not count here").isNotNull();
        assertThat(pinned(3, List.of(version("other", 3, VersionPhase.Ready, null)), null).problem())
                .as("only versions of the deployment's model").isEqualTo(Problem.VersionNotFound);
    }

    @Test
    void latestTakesTheNewestReadyUnrejectedVersionThatPassesTheGates() {
        Gates gates = new Gates();
        gates.setMinimums(Map.of("accuracy", 0.9));
        ModelVersion v1 = version("iris", 1, VersionPhase.Ready, Map.of("accuracy", 0.95));
        ModelVersion v2 = version("iris", 2, VersionPhase.Ready, Map.of("accuracy", 0.96));
        ModelVersion v3 = version("iris", 3, VersionPhase.Ready, Map.of("accuracy", 0.85));
        ModelVersion v4 = version("iris", 4, VersionPhase.Validating, Map.of("accuracy", 0.99));
        ModelVersion v5 = rejected(version("iris", 5, VersionPhase.Ready, Map.of("accuracy", 0.99)), "iris");

        Resolution r = latest(List.of(v1, v2, v3, v4, v5), v1, gates);
        assertThat(r.target()).isSameAs(v2);
        assertThat(r.rejections()).singleElement().satisfies(g -> {
            assertThat(g.version()).isSameAs(v3);
            assertThat(g.message()).isEqualTo("accuracy 0.85 is below the minimum 0.9");
        });
        assertThat(latest(List.of(v1, v2), v2, null).target()).isSameAs(v2);
        assertThat(latest(List.of(v4), null, null).problem()).isEqualTo(Problem.NoReadyVersion);
        assertThat(latest(List.of(v4), null, null).message()).contains("iris-v4 (Validating)");
        assertThat(latest(List.of(), null, null).message()).contains("no version of model iris exists yet");
    }

    @Test
    void aGateFailureOnAPinnedVersionRejectsItWithTheValues() {
        Gates gates = new Gates();
        RegressionGate loss = new RegressionGate();
        loss.setMetric("loss");
        loss.setLowerIsBetter(true);
        loss.setTolerance(0.01);
        gates.setNoWorseThanStable(List.of(loss));
        ModelVersion stable = version("iris", 1, VersionPhase.Ready, Map.of("loss", 0.10));
        ModelVersion worse = version("iris", 2, VersionPhase.Ready, Map.of("loss", 0.20));
        ModelDeployment md = md("iris", "iris");
        md.getSpec().setVersion(2);
        md.getSpec().getRollout().setGates(gates);
        Resolution r = VersionResolver.resolve(DeploymentSettings.of(md, Deployments.IMAGE), List.of(stable, worse),
                stable);
        assertThat(r.problem()).isEqualTo(Problem.GateFailed);
        assertThat(r.message()).contains("loss 0.2 is worse than stable iris-v1's 0.1 (tolerance 0.01, lower is "
                + "better)");
        assertThat(r.rejections()).extracting(g -> g.version().getMetadata().getName()).containsExactly("iris-v2");
    }
}
