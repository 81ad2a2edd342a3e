package dev.modelops.operator.deployment;

import java.util.List;
import java.util.Map;

import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.ModelDeploymentSpec;
import dev.modelops.api.deployment.RolloutSpec;
import dev.modelops.api.deployment.RolloutStrategy;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.ModelVersionStatus;
import dev.modelops.api.version.Rejection;
import dev.modelops.api.version.VersionPhase;
import dev.modelops.operator.version.Versions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** ModelDeployment and ModelVersion objects for pure tests. */
final class Deployments {

    static final String IMAGE = "runtime:test";

    private Deployments() {
    }

    static ModelDeployment md(String name, String model) {
        ModelDeploymentSpec spec = new ModelDeploymentSpec();
        spec.setModel(model);
        RolloutSpec rollout = new RolloutSpec();
        rollout.setStrategy(RolloutStrategy.Immediate);
        spec.setRollout(rollout);
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ml").withUid("uid-" + name)
                .withGeneration(1L).build());
        md.setSpec(spec);
        return md;
    }

    static ModelVersion version(String model, int number, VersionPhase phase, Map<String, Double> metrics) {
        ModelVersion v = Versions.version(model, number);
        v.getMetadata().setNamespace("ml");
        v.getSpec().setMetrics(metrics);
        ModelVersionStatus status = new ModelVersionStatus();
        status.setPhase(phase);
        v.setStatus(status);
        return v;
    }

    static ModelVersion rejected(ModelVersion v, String deployment) {
        Rejection r = new Rejection();
        r.setDeployment(deployment);
        r.setReason("AnalysisFailed");
        r.setTime("2026-11-22T10:00:00Z");
        r.setMessage("error rate 0.3 above 0.01");
        v.getStatus().setRejections(List.of(r));
        return v;
    }
}
