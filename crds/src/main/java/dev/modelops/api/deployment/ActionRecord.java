package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("The last modelops.dev/action request the operator consumed, and what it did.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ActionRecord {

    @JsonPropertyDescription("The requested action: promote, promote-full, abort, retry, pause or resume.")
    private String action;

    @JsonPropertyDescription("When the operator consumed it (RFC 3339).")
    private String time;

    @JsonPropertyDescription("True when it changed the rollout; false when it did not apply (unknown, or nothing to act on).")
    private Boolean applied;

    @JsonPropertyDescription("What the operator did, or why it did nothing.")
    private String message;

    public String getAction() {
        return action;
    }

    public void setAction(String action) {
        this.action = action;
    }

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }

    public Boolean getApplied() {
        return applied;
    }

    public void setApplied(Boolean applied) {
        this.applied = applied;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
