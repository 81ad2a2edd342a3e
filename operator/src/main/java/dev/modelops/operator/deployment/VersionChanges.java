package dev.modelops.operator.deployment;

import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.modelops.api.version.ModelVersion;
import dev.modelops.operator.common.Conditions;

/**
 * Pure: which changes to a ModelVersion can change what a deployment of its model does. Every one but the record of
 * who serves the version ({@code status.deployments} and the {@code InUse} condition), which the version controller
 * writes each time a deployment starts or stops serving it: without this filter, a model served by N deployments woke
 * all N at each of those writes (N² reconciliations while N deployments roll out), for nothing any of them reads.
 */
final class VersionChanges {

    private static final ObjectMapper JSON = new ObjectMapper();

    private VersionChanges() {
    }

    /** Whether going from {@code before} to {@code after} can matter to a deployment. */
    static boolean matterToDeployments(ModelVersion before, ModelVersion after) {
        return !withoutUsage(before).equals(withoutUsage(after));
    }

    private static JsonNode withoutUsage(ModelVersion version) {
        ObjectNode node = JSON.valueToTree(version);
        if (node.get("metadata") instanceof ObjectNode metadata) {
            metadata.remove(List.of("resourceVersion", "managedFields"));
        }
        if (node.get("status") instanceof ObjectNode status) {
            status.remove("deployments");
            if (status.get("conditions") instanceof ArrayNode conditions) {
                for (Iterator<JsonNode> it = conditions.iterator(); it.hasNext();) {
                    if (Conditions.IN_USE.equals(it.next().path("type").asText())) {
                        it.remove();
                    }
                }
            }
        }
        return node;
    }
}
