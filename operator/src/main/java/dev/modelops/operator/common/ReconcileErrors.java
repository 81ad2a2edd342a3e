package dev.modelops.operator.common;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * One path from an unexpected exception to status: a {@code ReconcileError} condition with the cause, which a person
 * sees in {@code kubectl describe}. Planners never plan it, so the next successful pass removes it.
 */
public final class ReconcileErrors {

    public static final String TYPE = "ReconcileError";

    private ReconcileErrors() {
    }

    public static List<Condition> with(List<Condition> conditions, Exception error, Long generation, Instant now) {
        List<Condition> result = new ArrayList<>(conditions == null ? List.of() : conditions);
        result.removeIf(c -> TYPE.equals(c.getType()));
        Conditions planned = new Conditions().set(TYPE, true, reason(error), message(error));
        result.addAll(planned.merge(conditions, generation == null ? 0 : generation, now));
        return result;
    }

    static String reason(Exception error) {
        return error instanceof KubernetesClientException ? "ApiError" : "InternalError";
    }

    static String message(Exception error) {
        String text = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return (oneLine.length() <= 500 ? oneLine : oneLine.substring(0, 500) + "...")
                + "; the operator retries with backoff";
    }
}
