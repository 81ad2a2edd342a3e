package dev.modelops.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Finds the CEL rules of a CRD schema whose input is unbounded. A real kube-apiserver estimates each rule's cost from
 * the sizes its schema allows ({@code maxLength}, {@code maxItems}, {@code maxProperties}) and refuses a CRD whose rules
 * may cost too much; a rule that reads an unbounded string, list or map, or that sits under a list or map with no
 * bound, is estimated at the request-size worst case. This walker holds every rule to bounded input instead of
 * reproducing the estimator's arithmetic: each rule must run a bounded number of times (every list and map above it
 * is bounded), and every value it reads must be bounded all the way down.
 * <p>
 * What a rule reads is taken from its text: each {@code self.a.b} / {@code oldSelf.a.b} path (up to the first method
 * call) reads the whole subtree at that path, a bare {@code self} reads everything under the rule, and a path used only
 * as {@code has(self.a.b)} reads nothing but presence.
 */
final class RuleCostBounds {

    private static final Pattern PATH = Pattern.compile("(?<![\\w.])(self|oldSelf)((?:\\.[A-Za-z_][A-Za-z0-9_]*)*)");
    private static final Pattern SEGMENT = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_]*)");

    private RuleCostBounds() {
    }

    /** One problem: where the rule sits, the rule, and what is unbounded. */
    record Violation(String location, String rule, String problem) {
        @Override
        public String toString() {
            return location + " [" + rule + "]: " + problem;
        }
    }

    /** Every violation in a CRD's openAPIV3Schema. */
    static List<Violation> check(JsonNode schema) {
        List<Violation> violations = new ArrayList<>();
        walk(schema, "", new ArrayList<>(), violations);
        return violations;
    }

    private static void walk(JsonNode node, String path, List<String> unboundedAncestors, List<Violation> out) {
        for (JsonNode validation : node.path("x-kubernetes-validations")) {
            String rule = validation.path("rule").asText();
            for (String ancestor : unboundedAncestors) {
                out.add(new Violation(display(path), rule, "runs once per element of " + ancestor
                        + ", which has no maxItems/maxProperties"));
            }
            for (String read : reads(rule)) {
                JsonNode target = resolve(node, read);
                if (target == null) {
                    out.add(new Violation(display(path), rule,
                            "reads self" + read + ", which the schema does not have"));
                    continue;
                }
                List<String> unbounded = new ArrayList<>();
                unbounded(target, display(path) + read, unbounded);
                for (String where : unbounded) {
                    out.add(new Violation(display(path), rule, "reads " + where));
                }
            }
        }
        Iterator<Map.Entry<String, JsonNode>> properties = node.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            walk(property.getValue(), path + "." + property.getKey(), unboundedAncestors, out);
        }
        if (node.has("items")) {
            walk(node.get("items"), path + "[]",
                    extend(unboundedAncestors, node.has("maxItems") ? null : display(path)),
                    out);
        }
        if (node.path("additionalProperties").isObject()) {
            walk(node.get("additionalProperties"), path + "{}",
                    extend(unboundedAncestors, node.has("maxProperties") ? null : display(path)), out);
        }
    }

    private static List<String> extend(List<String> list, String element) {
        if (element == null) {
            return list;
        }
        List<String> extended = new ArrayList<>(list);
        extended.add(element);
        return extended;
    }

    private static String display(String path) {
        return path.isEmpty() ? "<root>" : path;
    }

    /**
     * The paths (relative to the rule's node, ".a.b", "" for the node itself) a rule reads beyond presence.
     */
    static List<String> reads(String rule) {
        List<String> reads = new ArrayList<>();
        Matcher m = PATH.matcher(rule);
        while (m.find()) {
            List<String> segments = new ArrayList<>();
            Matcher s = SEGMENT.matcher(m.group(2));
            int consumed = m.start(2);
            while (s.find()) {
                int after = m.start(2) + s.end();
                if (after < rule.length() && rule.charAt(after) == '(') {
                    break; // a method call (size(), filter(...), ...) on what came before
                }
                segments.add(s.group(1));
                consumed = after;
            }
            boolean presenceOnly = rule.substring(0, m.start()).endsWith("has(") && consumed < rule.length()
                    && rule.charAt(consumed) == ')';
            if (!presenceOnly) {
                String read = segments.isEmpty() ? "" : "." + String.join(".", segments);
                if (!reads.contains(read)) {
                    reads.add(read);
                }
            }
        }
        return reads;
    }

    private static JsonNode resolve(JsonNode node, String path) {
        JsonNode current = node;
        Matcher s = SEGMENT.matcher(path);
        while (s.find()) {
            current = current.path("properties").get(s.group(1));
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    /** Collects where a subtree is unbounded. */
    static void unbounded(JsonNode node, String path, List<String> out) {
        if (node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            out.add(path + " (x-kubernetes-preserve-unknown-fields: any size)");
            return;
        }
        boolean intOrString = node.path("x-kubernetes-int-or-string").asBoolean(false);
        String type = node.path("type").asText("");
        if ((type.equals("string") || intOrString) && !node.has("maxLength") && !node.has("enum")) {
            out.add(path + " (a string with no maxLength)");
        }
        if (type.equals("array")) {
            if (!node.has("maxItems")) {
                out.add(path + " (a list with no maxItems)");
            }
            unbounded(node.path("items"), path + "[]", out);
        }
        if (node.path("additionalProperties").isObject()) {
            if (!node.has("maxProperties")) {
                out.add(path + " (a map with no maxProperties)");
            }
            unbounded(node.get("additionalProperties"), path + "{}", out);
        }
        Iterator<Map.Entry<String, JsonNode>> properties = node.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            unbounded(property.getValue(), path + "." + property.getKey(), out);
        }
    }
}
