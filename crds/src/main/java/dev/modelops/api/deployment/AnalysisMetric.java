package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonClassDescription("One metric of the analysis and the bounds it must stay within.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.query) == (self.type == 'Prometheus')", message = "query is required for type Prometheus and allowed only there", reason = "FieldValueInvalid")
@ValidationRule(value = "has(self.max) || has(self.min)", message = "an analysis metric needs a threshold: max, min or both", reason = "FieldValueRequired")
public class AnalysisMetric {

    @Required
    @Size(min = 1, max = 63)
    @Pattern("^[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?$")
    @JsonPropertyDescription("Name shown in status and in a rejection.")
    private String name;

    @Required
    @JsonPropertyDescription("ErrorRate (fraction 0..1), LatencyP99 (seconds), PredictionDrift (Jensen-Shannon divergence, base 2, between the canary's and stable's predicted-class distributions: 0 identical, 1 disjoint) or Prometheus (a PromQL query).")
    private AnalysisMetricType type;

    @JsonPropertyDescription("Highest value that passes.")
    private Double max;

    @JsonPropertyDescription("Lowest value that passes.")
    private Double min;

    @Size(max = 4096)
    @JsonPropertyDescription("PromQL returning one number; {{canary}} and {{stable}} are replaced by the tracks' pod label selectors.")
    private String query;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public AnalysisMetricType getType() {
        return type;
    }

    public void setType(AnalysisMetricType type) {
        this.type = type;
    }

    public Double getMax() {
        return max;
    }

    public void setMax(Double max) {
        this.max = max;
    }

    public Double getMin() {
        return min;
    }

    public void setMin(Double min) {
        this.min = min;
    }

    public String getQuery() {
        return query;
    }

    public void setQuery(String query) {
        this.query = query;
    }
}
