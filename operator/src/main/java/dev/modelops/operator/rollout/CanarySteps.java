package dev.modelops.operator.rollout;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelops.api.deployment.CanaryStep;
import dev.modelops.operator.common.KubeNames;

/** Pure: what the canary steps mean at a given step index. */
public final class CanarySteps {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CanarySteps() {
    }

    /** A short hash of the steps; when it changes, a canary in progress starts over from the first step. */
    public static String hash(List<CanaryStep> steps) {
        try {
            return KubeNames.sha256(JSON.writeValueAsString(steps == null ? List.of() : steps)).substring(0, 10);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("steps are plain beans", e);
        }
    }

    /**
     * The canary's traffic weight while step {@code index} runs: the last setWeight at or before it (0 before any);
     * 100 once every step is done.
     */
    public static int weightAt(List<CanaryStep> steps, int index) {
        List<CanaryStep> all = steps == null ? List.of() : steps;
        if (index >= all.size()) {
            return 100;
        }
        int weight = 0;
        for (int i = 0; i <= index; i++) {
            if (all.get(i).getSetWeight() != null) {
                weight = all.get(i).getSetWeight();
            }
        }
        return weight;
    }

    /** A one-word description of a step for messages: setWeight 25, pause 10m, pause (until promoted), analysis x3. */
    public static String describe(CanaryStep step) {
        if (step.getSetWeight() != null) {
            return "setWeight " + step.getSetWeight();
        }
        if (step.getPause() != null) {
            return step.getPause().getDuration() == null
                    ? "pause (until promoted)"
                    : "pause " + step.getPause().getDuration();
        }
        int n = step.getAnalysis() == null || step.getAnalysis().getMeasurements() == null
                ? 1
                : step.getAnalysis().getMeasurements();
        return "analysis (" + n + " measurement" + (n == 1 ? "" : "s") + ")";
    }
}
