package dev.modelops.api.deployment;

/** How the deployment chooses the version to serve. */
public enum VersionPolicy {
    /** Serve spec.version. */
    Pinned,
    /** Follow the newest Ready, unrejected version. */
    Latest
}
