package dev.modelops.runtime.fetch;

import dev.modelops.contract.FailureReason;

/** A failure with its reason from the shared vocabulary; the message never contains credentials. */
public class FetchException extends Exception {

    private final FailureReason reason;

    public FetchException(FailureReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public FetchException(FailureReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }
}
