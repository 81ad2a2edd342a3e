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

    /**
     * Whether a deployment's change can change which versions it serves, on which track: a new version or track in
     * its status, or another model. Every other change (replica counts, conditions, analysis progress) leaves every
     * version's record as it is, so it wakes none of them.
     */
    static boolean servingChanged(ModelDeployment before, ModelDeployment after) {
        return !tracks(before).equals(tracks(after)) || !java.util.Objects.equals(model(before), model(after));
    }

    private static List<String> tracks(ModelDeployment deployment) {
        List<String> tracks = new ArrayList<>(2);
        if (deployment.getStatus() != null) {
            tracks.add(STABLE + "=" + versionOf(deployment.getStatus().getStable()));
            tracks.add(CANARY + "=" + versionOf(deployment.getStatus().getCanary()));
        }
        return tracks;
    }

    private static String versionOf(TrackStatus track) {
        return track == null ? null : track.getModelVersion();
    }

    private static String model(ModelDeployment deployment) {
        return deployment.getSpec() == null ? null : deployment.getSpec().getModel();
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
