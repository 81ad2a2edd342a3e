package dev.modelops.runtime.server;

/** A request the server refuses, with the HTTP status and the request field at fault (null when none). */
public final class ApiException extends RuntimeException {

    private final int status;
    private final String field;

    public ApiException(int status, String message, String field) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    public static ApiException badRequest(String message, String field) {
        return new ApiException(400, message, field);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
