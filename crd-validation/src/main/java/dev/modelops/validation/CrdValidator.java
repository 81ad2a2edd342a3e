package dev.modelops.validation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

/**
 * Checks a manifest against a generated CRD the way the API server does at admission: the openAPIV3Schema through
 * a JSON-schema validator, then every {@code x-kubernetes-validations} rule through CEL, with {@code oldSelf} bound
 * for transition rules on update. The messages mimic the API server's field errors.
 */
public final class CrdValidator {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final String VALIDATIONS = "x-kubernetes-validations";

    /** The Kubernetes CEL "lists" library function the rules use; standard CEL does not have it. */
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration("isSorted",
                    CelOverloadDecl.newMemberOverload("list_is_sorted", SimpleType.BOOL,
                            ListType.create(SimpleType.DYN))))
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addFunctionBindings(CelFunctionBinding.from("list_is_sorted", List.class, CrdValidator::isSorted))
            .build();

    private final String kind;
    private final JsonNode openApiSchema;
    private final JsonSchema jsonSchema;
    private final Map<String, CelRuntime.Program> programs = new HashMap<>();

    private CrdValidator(String kind, JsonNode openApiSchema) {
        this.kind = kind;
        this.openApiSchema = openApiSchema;
        this.jsonSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApiSchema);
    }

    public static CrdValidator load(Path crdFile) throws IOException {
        return of(YAML.readTree(Files.readString(crdFile)));
    }

    /** A validator for a CRD already parsed (YAML or JSON). */
    public static CrdValidator of(JsonNode crd) {
        String kind = crd.at("/spec/names/kind").asText();
        return new CrdValidator(kind, crd.at("/spec/versions/0/schema/openAPIV3Schema"));
    }

    public String kind() {
        return kind;
    }

    public JsonNode schema() {
        return openApiSchema;
    }

    /** Errors for creating {@code object}; empty when the API server would accept it. */
    public List<String> validateCreate(JsonNode object) {
        return validate(object, null);
    }

    /** Errors for replacing {@code oldObject} by {@code newObject}. */
    public List<String> validateUpdate(JsonNode oldObject, JsonNode newObject) {
        return validate(newObject, oldObject);
    }

    private List<String> validate(JsonNode object, JsonNode oldObject) {
        List<String> errors = new ArrayList<>();
        for (ValidationMessage message : jsonSchema.validate(object)) {
            errors.add(message.getMessage());
        }
        if (errors.isEmpty()) {
            // The API server runs CEL rules only on objects that passed the structural schema.
            checkRules(openApiSchema, object, oldObject, "", errors);
        }
        return errors;
    }

    private void checkRules(JsonNode schema, JsonNode value, JsonNode oldValue, String path, List<String> errors) {
        if (value == null || value.isNull()) {
            return;
        }
        for (JsonNode rule : schema.path(VALIDATIONS)) {
            String expression = rule.get("rule").asText();
            boolean transition = expression.contains("oldSelf");
            if (transition && (oldValue == null || oldValue.isNull())) {
                continue;
            }
            String field = path.isEmpty() ? "<root>" : path.substring(1);
            if (rule.has("fieldPath")) {
                field = field + rule.get("fieldPath").asText();
            }
            Object result;
            try {
                Map<String, Object> vars = new HashMap<>();
                vars.put("self", toCel(value));
                if (transition) {
                    vars.put("oldSelf", toCel(oldValue));
                }
                result = program(expression).eval(vars);
            } catch (CelEvaluationException e) {
                errors.add(field + ": Invalid value: \"object\": rule evaluation error: " + e.getMessage());
                continue;
            }
            if (!Boolean.TRUE.equals(result)) {
                errors.add(field + ": Invalid value: \"" + value.getNodeType().toString().toLowerCase() + "\": "
                        + rule.path("message").asText("failed rule: " + expression));
            }
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode childSchema = properties.has(field.getKey()) ? properties.get(field.getKey()) : additional;
                if (childSchema.isObject()) {
                    JsonNode oldChild = oldValue == null ? null : oldValue.get(field.getKey());
                    checkRules(childSchema, field.getValue(), oldChild, path + "." + field.getKey(), errors);
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                // Atomic lists have no correlation between old and new items, so no transition rules inside them.
                checkRules(schema.get("items"), value.get(i), null, path + "[" + i + "]", errors);
            }
        }
    }

    private CelRuntime.Program program(String expression) {
        return programs.computeIfAbsent(expression, e -> {
            try {
                CelAbstractSyntaxTree ast = COMPILER.compile(e).getAst();
                return RUNTIME.createProgram(ast);
            } catch (CelValidationException | CelEvaluationException ex) {
                throw new IllegalStateException("CEL rule does not compile: " + e + ": " + ex.getMessage(), ex);
            }
        });
    }

    /** JSON to the values CEL expects: maps, lists, int64, double, string, bool. */
    static Object toCel(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    map.put(e.getKey(), toCel(e.getValue()));
                }
            });
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(toCel(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static boolean isSorted(List list) {
        Comparator<Object> order = (a, b) -> ((Comparable) a).compareTo(b);
        for (int i = 1; i < list.size(); i++) {
            if (order.compare(list.get(i - 1), list.get(i)) > 0) {
                return false;
            }
        }
        return true;
    }
}
