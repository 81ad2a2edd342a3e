package dev.modelops.api.version;

/** Where a version is in its validation. */
public enum VersionPhase {
    Pending, Validating, Ready, Failed
}
