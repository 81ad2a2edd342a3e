package dev.modelops.operator.deployment;

import dev.modelops.operator.common.KubeNames;

/** A deployment's tracks: each live track is one Deployment of one version, with a Service of its own. */
public enum Track {
    STABLE("stable"), CANARY("canary");

    private final String label;

    Track(String label) {
        this.label = label;
    }

    /** The value of the {@code modelops.dev/track} label and of the runtime's {@code track} metric label. */
    public String label() {
        return label;
    }

    /** Name of this track's Deployment and Service: {@code <deployment>-stable}, {@code <deployment>-canary}. */
    public String objectName(String deployment) {
        return KubeNames.fit(deployment + "-" + label, 63);
    }

    public static Track ofLabel(String label) {
        for (Track track : values()) {
            if (track.label.equals(label)) {
                return track;
            }
        }
        return null;
    }
}
