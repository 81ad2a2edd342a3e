package dev.modelops.contract;

/**
 * Why fetching or validating an artifact failed: the {@code reason} of a failed report and the process's exit code.
 * The operator retries only the transient one.
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

    /** The reason with this name, or {@code null} for text that names none. */
    public static FailureReason parse(String text) {
        for (FailureReason reason : values()) {
            if (reason.name().equals(text)) {
                return reason;
            }
        }
        return null;
    }
}
