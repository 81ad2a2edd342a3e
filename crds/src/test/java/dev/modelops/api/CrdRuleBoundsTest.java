package dev.modelops.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The committed CRDs must be ones a real API server accepts: no CEL rule may read an unbounded list, map or string,
 * or run once per element of an unbounded list or map (the API server's cost estimate would refuse the CRD). And
 * {@code kubectl explain} must have something to say about every field of ours.
 */
class CrdRuleBoundsTest {

    /**
     * Fields that embed Kubernetes types: the field itself is described, what is inside is Kubernetes' own (see
     * {@code kubectl explain pod.spec}). No rule reads them (the operator checks a training's for changes).
     */
    static final Set<String> EMBEDDED_KUBERNETES_TYPES = Set.of(
            ".spec.trainer.env", ".spec.trainer.resources", ".spec.podTemplate.tolerations",
            ".spec.podTemplate.affinity", ".spec.podTemplate.imagePullSecrets", ".spec.podTemplate.volumes",
            ".spec.podTemplate.volumeMounts", ".spec.runtime.env", ".spec.runtime.resources");

    private static JsonNode schema(String kind) throws IOException {
        JsonNode crd = Manifests.documents(Manifests.committedCrdDir().resolve(Manifests.crdFileName(kind))).get(0);
        return crd.at("/spec/versions/0/schema/openAPIV3Schema");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ModelTraining", "ModelVersion", "ModelDeployment"})
    void everyRuleReadsOnlyBoundedInput(String kind) throws IOException {
        JsonNode schema = schema(kind);
        assertThat(rules(schema)).as("%s has CEL rules to check", kind).isNotEmpty();
        assertThat(RuleCostBounds.check(schema))
                .as("rules of %s that read unbounded input (bound the input with maxLength/maxItems/maxProperties, "
                        + "or restructure the rule so it does not read it)", kind)
                .isEmpty();
    }

    @Test
    void theImmutabilityRulesStillCoverEveryTrainingField() throws IOException {
        // Restructuring must not lose a field: each of spec's fields is either compared by a rule of its own (or of
        // each of its bounded subfields) or named in a presence rule and checked by the operator.
        JsonNode spec = schema("ModelTraining").at("/properties/spec");
        String presence = spec.path("x-kubernetes-validations").get(0).path("rule").asText();
        for (Iterator<String> names = spec.path("properties").fieldNames(); names.hasNext();) {
            String name = names.next();
            if (name.equals("suspend")) {
                assertThat(presence).doesNotContain("self.suspend");
                continue;
            }
            assertThat(presence).as("presence rule covers spec.%s", name).contains("has(self." + name + ")");
            JsonNode field = spec.path("properties").path(name);
            boolean ownRule = field.path("x-kubernetes-validations").toString().contains("self == oldSelf");
            boolean perSubfield = field.path("x-kubernetes-validations").toString().contains("has(oldSelf.");
            assertThat(ownRule || perSubfield).as("spec.%s is compared", name).isTrue();
        }
    }

    @Test
    void theWalkerFindsAnUnboundedString() throws IOException {
        JsonNode schema = Manifests.STRICT.readTree("""
                type: object
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations:
                    - rule: self == oldSelf
                    properties:
                      name: {type: string, maxLength: 10}
                      note: {type: string}
                """);
        assertThat(RuleCostBounds.check(schema)).singleElement().asString()
                .contains(".spec.note (a string with no maxLength)");
    }

    @Test
    void theWalkerFindsRulesUnderAnUnboundedListAndUnboundedMapValues() throws IOException {
        JsonNode schema = Manifests.STRICT.readTree("""
                type: object
                properties:
                  steps:
                    type: array
                    items:
                      type: object
                      x-kubernetes-validations:
                      - rule: has(self.weight)
                      properties:
                        weight: {type: integer}
                  labels:
                    type: object
                    maxProperties: 4
                    additionalProperties: {type: string}
                    x-kubernetes-validations:
                    - rule: self.size() < 3 || self == oldSelf
                  names:
                    type: array
                    maxItems: 4
                    items: {type: string, maxLength: 8}
                    x-kubernetes-validations:
                    - rule: self.all(n, n != 'x')
                """);
        assertThat(RuleCostBounds.check(schema)).extracting(Object::toString).containsExactlyInAnyOrder(
                ".steps[] [has(self.weight)]: runs once per element of .steps, which has no maxItems/maxProperties",
                ".labels [self.size() < 3 || self == oldSelf]: reads .labels{} (a string with no maxLength)");
    }

    @Test
    void presenceChecksAndMethodCallsAreReadAsWhatTheyRead() {
        assertThat(RuleCostBounds.reads("has(self.a) == has(oldSelf.a)")).isEmpty();
        assertThat(RuleCostBounds.reads("has(self.a.b) && size(self.a.b) > 0")).containsExactly(".a.b");
        assertThat(RuleCostBounds.reads("!has(self.steps) || self.steps.filter(s, has(s.w)).map(s, s.w).isSorted()"))
                .containsExactly(".steps");
        assertThat(RuleCostBounds.reads("self == oldSelf")).containsExactly("");
        assertThat(RuleCostBounds.reads("self.mode != 'x' || self.mode.startsWith('y')")).containsExactly(".mode");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ModelTraining", "ModelVersion", "ModelDeployment"})
    void everyFieldIsDescribedForKubectlExplain(String kind) throws IOException {
        JsonNode schema = schema(kind);
        List<String> bare = new ArrayList<>();
        undescribed(schema.path("properties").path("spec"), ".spec", bare);
        undescribed(schema.path("properties").path("status"), ".status", bare);
        assertThat(schema.at("/properties/spec/description").asText()).isNotBlank();
        assertThat(schema.at("/properties/status/description").asText()).isNotBlank();
        assertThat(schema.at("/properties/status/properties/conditions/items/properties/reason/description").asText())
                .contains("CamelCase");
        assertThat(bare).as("fields of %s with no description", kind).isEmpty();
    }

    private static void undescribed(JsonNode node, String path, List<String> out) {
        if (EMBEDDED_KUBERNETES_TYPES.contains(path)) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> property = it.next();
            String child = path + "." + property.getKey();
            if (property.getValue().path("description").asText("").isBlank()) {
                out.add(child);
            }
            undescribed(property.getValue(), child, out);
        }
        if (node.has("items")) {
            undescribed(node.get("items"), path + "[]", out);
        }
        if (node.path("additionalProperties").isObject()) {
            undescribed(node.get("additionalProperties"), path + "{}", out);
        }
    }

    private static List<String> rules(JsonNode node) {
        List<String> rules = new ArrayList<>();
        node.path("x-kubernetes-validations").forEach(v -> rules.add(v.path("rule").asText()));
        node.path("properties").forEach(p -> rules.addAll(rules(p)));
        if (node.has("items")) {
            rules.addAll(rules(node.get("items")));
        }
        return rules;
    }
}
