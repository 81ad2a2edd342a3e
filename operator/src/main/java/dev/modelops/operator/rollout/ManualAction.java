package dev.modelops.operator.rollout;

import java.util.Map;

import dev.modelops.api.ModelOps;

/** The requests a person makes through the {@code modelops.dev/action} annotation. */
public enum ManualAction {
    PROMOTE("promote"), PROMOTE_FULL("promote-full"), ABORT("abort"), RETRY("retry"), PAUSE("pause"), RESUME(
            "resume");

    private final String value;

    ManualAction(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The action the annotations ask for; null when there is none or the value is unknown. */
    public static ManualAction parse(String text) {
        if (text == null) {
            return null;
        }
        for (ManualAction action : values()) {
            if (action.value.equals(text.trim())) {
                return action;
            }
        }
        return null;
    }

    /** The raw annotation value, or null. */
    public static String requested(Map<String, String> annotations) {
        return annotations == null ? null : annotations.get(ModelOps.ANNOTATION_ACTION);
    }
}
