package dev.modelops.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;

/** Field selectors ({@code involvedObject.name=x,status.phase!=Failed}) evaluated on an object's JSON. */
final class FieldSelector {

    private FieldSelector() {
    }

    static boolean matches(String selector, JsonNode object) {
        for (String term : selector.split(",")) {
            if (term.isBlank()) {
                continue;
            }
            boolean negate = term.contains("!=");
            String[] parts = negate ? term.split("!=", 2) : term.split("==?", 2);
            if (parts.length != 2) {
                return false;
            }
            JsonNode value = object.at("/" + parts[0].trim().replace('.', '/'));
            String actual = value.isMissingNode() || value.isNull() ? "" : value.asText();
            if (actual.equals(parts[1].trim()) == negate) {
                return false;
            }
        }
        return true;
    }
}
