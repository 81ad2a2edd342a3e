package dev.modelops.operator.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelops.api.ModelOps;

/**
 * What a trainer reports in rank 0's termination message:
 * {@code {"artifact": {"uri": ..., "sha256": ...}, "metrics": {"accuracy": 0.97}}}. Parsing either yields a result
 * or says exactly what is wrong with the message.
 */
public record TrainerResult(String artifactUri, String sha256, Map<String, Double> metrics, List<String> classLabels) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern URI = Pattern.compile(ModelOps.ARTIFACT_URI_PATTERN);
    private static final Pattern SHA256 = Pattern.compile(ModelOps.SHA256_PATTERN);

    /** Why a termination message could not be used. */
    public static final class InvalidResultException extends Exception {
        private final String reason;

        InvalidResultException(String reason, String message) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    public static TrainerResult parse(String message) throws InvalidResultException {
        if (message == null || message.isBlank()) {
            throw new InvalidResultException("MissingResult",
                    "the trainer exited successfully but wrote no termination message; it must write "
                            + "{\"artifact\":{\"uri\":...,\"sha256\":...},\"metrics\":{...}} to /dev/termination-log");
        }
        JsonNode root;
        try {
            root = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            throw new InvalidResultException("InvalidResult",
                    "the termination message is not JSON: " + e.getOriginalMessage() + " (message starts with '"
                            + abbreviate(message) + "')");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidResultException("InvalidResult", "the termination message must be a JSON object");
        }
        JsonNode uri = root.at("/artifact/uri");
        if (!uri.isTextual() || !URI.matcher(uri.asText()).matches()) {
            throw new InvalidResultException("InvalidResult",
                    "artifact.uri must be a pvc://, s3:// or http(s):// location, got " + uri);
        }
        JsonNode sha = root.at("/artifact/sha256");
        if (!sha.isMissingNode() && !(sha.isTextual() && SHA256.matcher(sha.asText()).matches())) {
            throw new InvalidResultException("InvalidResult",
                    "artifact.sha256 must be 64 lower-case hex characters, got " + sha);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        JsonNode reported = root.path("metrics");
        if (!reported.isMissingNode() && !reported.isObject()) {
            throw new InvalidResultException("InvalidResult", "metrics must be an object of name to number");
        }
        for (var it = reported.fields(); it.hasNext();) {
            var metric = it.next();
            if (!metric.getValue().isNumber()) {
                throw new InvalidResultException("InvalidResult",
                        "metric " + metric.getKey() + " must be a number, got " + metric.getValue());
            }
            metrics.put(metric.getKey(), metric.getValue().asDouble());
        }
        List<String> classLabels = new ArrayList<>();
        JsonNode classes = root.path("classLabels");
        if (!classes.isMissingNode()) {
            if (!classes.isArray()) {
                throw new InvalidResultException("InvalidResult", "classLabels must be an array of strings");
            }
            for (JsonNode label : classes) {
                if (!label.isTextual() || label.asText().isBlank() || label.asText().contains(",")) {
                    throw new InvalidResultException("InvalidResult",
                            "classLabels must be non-empty strings without commas, got " + label);
                }
                classLabels.add(label.asText());
            }
        }
        return new TrainerResult(uri.asText(), sha.isMissingNode() ? null : sha.asText(), metrics, classLabels);
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 60) + "...";
    }
}
