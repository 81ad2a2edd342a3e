package dev.modelops.operator.common;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

/**
 * The one way controllers build their conditions: a status is planned from scratch on every pass, then merged with
 * the conditions already stored so that lastTransitionTime moves only when a condition's status changes. That keeps a
 * resync that finds nothing new byte-identical to what is stored, so it sends no write.
 */
public final class Conditions {

    public static final String READY = "Ready";
    /** On a ModelVersion: whether any deployment serves it. */
    public static final String IN_USE = "InUse";
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private final List<Condition> planned = new ArrayList<>();

    /** Records a condition; its order of addition is the order written. */
    public Conditions set(String type, boolean status, String reason, String message) {
        return set(type, status ? TRUE : FALSE, reason, message);
    }

    public Conditions set(String type, String status, String reason, String message) {
        planned.removeIf(c -> c.getType().equals(type));
        planned.add(new ConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message == null ? "" : message).build());
        return this;
    }

    /**
     * The conditions to store: each planned one with observedGeneration stamped, keeping the previous
     * lastTransitionTime when its status did not change.
     */
    public List<Condition> merge(List<Condition> previous, long generation, Instant now) {
        List<Condition> result = new ArrayList<>(planned.size());
        for (Condition next : planned) {
            Condition before = find(previous, next.getType());
            String transition = before != null && Objects.equals(before.getStatus(), next.getStatus())
                    && before.getLastTransitionTime() != null ? before.getLastTransitionTime() : Times.format(now);
            result.add(new ConditionBuilder(next).withObservedGeneration(generation)
                    .withLastTransitionTime(transition).build());
        }
        return result;
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        Condition c = find(conditions, type);
        return c != null && TRUE.equals(c.getStatus());
    }
}
