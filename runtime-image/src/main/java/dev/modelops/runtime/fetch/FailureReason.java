package dev.modelops.runtime.fetch;

/**
 * Why fetching or validating an artifact failed. The names are a contract: the operator reads them from the
 * validation Job's termination message, and retries only the transient one.
 */
public enum FailureReason {
    ArtifactNotFound(10, false), ArtifactUnreachable(11, true), ChecksumMismatch(12, false), InvalidModel(13,
            false), LoadFailed(14, false), WarmupFailed(15, false);

    private final int exitCode;
    private final boolean transientFailure;

    FailureReason(int exitCode, boolean transientFailure) {
        this.exitCode = exitCode;
        this.transientFailure = transientFailure;
    }

    public int exitCode() {
        return exitCode;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
