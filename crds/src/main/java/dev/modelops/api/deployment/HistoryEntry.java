package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("A finished rollout.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HistoryEntry {

    @JsonPropertyDescription("The version that was rolled out.")
    private Integer version;

    @JsonPropertyDescription("Promoted, RolledBack or Aborted.")
    private RolloutOutcome outcome;

    @JsonPropertyDescription("When it ended (RFC 3339).")
    private String time;

    @JsonPropertyDescription("Why it ended so, for example AnalysisFailed or PromotedByUser.")
    private String reason;

    public Integer getVersion() {
        return version;
    }

    public void setVersion(Integer version) {
        this.version = version;
    }

    public RolloutOutcome getOutcome() {
        return outcome;
    }

    public void setOutcome(RolloutOutcome outcome) {
        this.outcome = outcome;
    }

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }
}
