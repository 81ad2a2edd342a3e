package dev.modelops.operator.version;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.TrackStatus;
import dev.modelops.api.version.DeploymentReference;

/** Pure: which deployments serve a version, and on which track, as their status says. */
final class ServingReferences {

    static final String STABLE = "stable";
    static final String CANARY = "canary";

    private ServingReferences() {
    }

    static List<DeploymentReference> of(String versionName, Collection<ModelDeployment> deployments) {
        List<DeploymentReference> refs = new ArrayList<>();
        for (ModelDeployment deployment : deployments) {
            if (deployment.getStatus() == null) {
                continue;
            }
            if (serves(deployment.getStatus().getStable(), versionName)) {
                refs.add(ref(deployment, STABLE));
            }
            if (serves(deployment.getStatus().getCanary(), versionName)) {
                refs.add(ref(deployment, CANARY));
            }
        }
        refs.sort(Comparator.comparing(DeploymentReference::getName).thenComparing(DeploymentReference::getTrack));
        return refs;
    }

    /** The versions a deployment's status names: the ones it may be serving. */
    static List<String> versionsNamedBy(ModelDeployment deployment) {
        List<String> names = new ArrayList<>();
        if (deployment.getStatus() != null) {
            for (TrackStatus track : new TrackStatus[]{deployment.getStatus().getStable(),
                    deployment.getStatus().getCanary()}) {
                if (track != null && track.getModelVersion() != null) {
                    names.add(track.getModelVersion());
                }
            }
        }
        return names;
    }

    private static boolean serves(TrackStatus track, String versionName) {
        return track != null && versionName.equals(track.getModelVersion());
    }

    private static DeploymentReference ref(ModelDeployment deployment, String track) {
        DeploymentReference ref = new DeploymentReference();
        ref.setName(deployment.getMetadata().getName());
        ref.setTrack(track);
        return ref;
    }
}
