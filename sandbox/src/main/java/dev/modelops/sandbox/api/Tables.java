package dev.modelops.sandbox.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Server-side printing: the {@code meta.k8s.io/v1} Table kubectl asks for with
 * {@code Accept: application/json;as=Table;...}. Custom resources get their CRD's additionalPrinterColumns; the
 * built-in kinds the sandbox runs get the columns a cluster prints for them.
 */
final class Tables {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Column(String name, String type, int priority, Function<JsonNode, Object> value) {
    }

    private final ApiResources resources;
    private final Clock clock;

    Tables(ApiResources resources, Clock clock) {
        this.resources = resources;
        this.clock = clock;
    }

    /** {@code body} is a list or a single object, as the store returned it. */
    ObjectNode toTable(ApiResource resource, JsonNode body) {
        List<Column> columns = columns(resource);
        ObjectNode table = JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", body.at("/metadata/resourceVersion").asText(""));
        ArrayNode definitions = table.putArray("columnDefinitions");
        for (Column c : columns) {
            definitions.addObject().put("name", c.name()).put("type", c.type())
                    .put("format", c.name().equals("Name") ? "name" : "").put("description", c.name())
                    .put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        List<JsonNode> items = new ArrayList<>();
        if (body.has("items")) {
            body.get("items").forEach(items::add);
        } else {
            items.add(body);
        }
        for (JsonNode item : items) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (Column c : columns) {
                cells.add(JSON.valueToTree(c.value().apply(item)));
            }
            ObjectNode object = row.putObject("object").put("kind", "PartialObjectMetadata").put("apiVersion",
                    "meta.k8s.io/v1");
            object.set("metadata", item.path("metadata").deepCopy());
        }
        return table;
    }

    private List<Column> columns(ApiResource resource) {
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("Name", "string", 0, o -> o.at("/metadata/name").asText()));
        JsonNode crd = resources.crd(resource).orElse(null);
        if (crd != null) {
            for (JsonNode c : crd.at("/spec/versions/0/additionalPrinterColumns")) {
                String path = c.path("jsonPath").asText();
                String type = c.path("type").asText("string");
                columns.add(new Column(c.path("name").asText(), type, c.path("priority").asInt(0),
                        o -> cell(o.at(path.replace('.', '/')), type)));
            }
            return columns;
        }
        switch (resource.kind()) {
            case "Pod" -> {
                columns.add(new Column("Ready", "string", 0, Tables::podReady));
                columns.add(new Column("Status", "string", 0, Tables::podStatus));
                columns.add(new Column("Restarts", "integer", 0, o -> {
                    int restarts = 0;
                    for (JsonNode s : o.at("/status/containerStatuses")) {
                        restarts += s.path("restartCount").asInt();
                    }
                    return restarts;
                }));
                columns.add(new Column("Age", "string", 0, this::age));
                columns.add(new Column("IP", "string", 1, o -> o.at("/status/podIP").asText("<none>")));
                columns.add(new Column("Node", "string", 1, o -> o.at("/spec/nodeName").asText("<none>")));
            }
            case "Job" -> {
                columns.add(new Column("Status", "string", 0, Tables::jobStatus));
                columns.add(new Column("Completions", "string", 0, o -> o.at("/status/succeeded").asInt() + "/"
                        + o.at("/spec/completions").asInt(1)));
                columns.add(new Column("Duration", "string", 0, this::jobDuration));
                columns.add(new Column("Age", "string", 0, this::age));
            }
            case "Deployment" -> {
                columns.add(new Column("Ready", "string", 0, o -> o.at("/status/readyReplicas").asInt() + "/"
                        + o.at("/spec/replicas").asInt(1)));
                columns.add(new Column("Up-to-date", "integer", 0, o -> o.at("/status/updatedReplicas").asInt()));
                columns.add(new Column("Available", "integer", 0, o -> o.at("/status/availableReplicas").asInt()));
                columns.add(new Column("Age", "string", 0, this::age));
            }
            case "Service" -> {
                columns.add(new Column("Type", "string", 0, o -> o.at("/spec/type").asText("ClusterIP")));
                columns.add(new Column("Cluster-IP", "string", 0, o -> o.at("/spec/clusterIP").asText("<none>")));
                columns.add(new Column("Port(s)", "string", 0, o -> {
                    List<String> ports = new ArrayList<>();
                    o.at("/spec/ports").forEach(p -> ports.add(p.path("port").asInt() + "/"
                            + p.path("protocol").asText("TCP")));
                    return ports.isEmpty() ? "<none>" : String.join(",", ports);
                }));
                columns.add(new Column("Age", "string", 0, this::age));
            }
            case "Event" -> {
                columns.clear();
                columns.add(new Column("Last Seen", "string", 0, o -> age(o, o.path("lastTimestamp").asText(
                        o.at("/metadata/creationTimestamp").asText()))));
                columns.add(new Column("Type", "string", 0, o -> o.path("type").asText()));
                columns.add(new Column("Reason", "string", 0, o -> o.path("reason").asText()));
                columns.add(new Column("Object", "string", 0, o -> o.at("/involvedObject/kind").asText()
                        .toLowerCase() + "/" + o.at("/involvedObject/name").asText()));
                columns.add(new Column("Message", "string", 0, o -> o.path("message").asText()));
                columns.add(new Column("Name", "string", 1, o -> o.at("/metadata/name").asText()));
            }
            default -> columns.add(new Column("Age", "string", 0, this::age));
        }
        return columns;
    }

    private Object cell(JsonNode value, String type) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (type.equals("date")) {
            return age(Instant.parse(value.asText()));
        }
        if (value.isNumber()) {
            return value.numberValue();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private String age(JsonNode object) {
        return age(object, object.at("/metadata/creationTimestamp").asText());
    }

    private String age(JsonNode object, String timestamp) {
        return timestamp == null || timestamp.isEmpty() ? "<unknown>" : age(Instant.parse(timestamp));
    }

    private String age(Instant since) {
        return human(Duration.between(since, clock.instant()));
    }

    /** Kubernetes' short human durations: 45s, 3m12s, 17m, 5h3m, 2d. */
    static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 8) {
            return h + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
        }
        if (h < 48) {
            return h + "h";
        }
        return (h / 24) + "d";
    }

    private String jobDuration(JsonNode job) {
        String start = job.at("/status/startTime").asText("");
        if (start.isEmpty()) {
            return "";
        }
        String end = job.at("/status/completionTime").asText("");
        Instant until = end.isEmpty() ? clock.instant() : Instant.parse(end);
        return human(Duration.between(Instant.parse(start), until));
    }

    private static String podReady(JsonNode pod) {
        int ready = 0;
        int total = pod.at("/spec/containers").size();
        for (JsonNode s : pod.at("/status/containerStatuses")) {
            if (s.path("ready").asBoolean()) {
                ready++;
            }
        }
        return ready + "/" + total;
    }

    private static String podStatus(JsonNode pod) {
        if (!pod.at("/metadata/deletionTimestamp").isMissingNode()) {
            return "Terminating";
        }
        for (JsonNode s : pod.at("/status/initContainerStatuses")) {
            JsonNode terminated = s.at("/state/terminated");
            if (!terminated.isMissingNode() && terminated.path("exitCode").asInt() != 0) {
                return "Init:" + terminated.path("reason").asText("Error");
            }
            JsonNode waiting = s.at("/state/waiting");
            if (!waiting.isMissingNode()) {
                return "Init:" + waiting.path("reason").asText();
            }
            if (!s.at("/state/running").isMissingNode()) {
                return "Init:0/" + pod.at("/spec/initContainers").size();
            }
        }
        String reason = pod.at("/status/phase").asText("Pending");
        for (JsonNode s : pod.at("/status/containerStatuses")) {
            JsonNode waiting = s.at("/state/waiting");
            JsonNode terminated = s.at("/state/terminated");
            if (!waiting.isMissingNode() && waiting.has("reason")) {
                reason = waiting.path("reason").asText();
            } else if (!terminated.isMissingNode()) {
                reason = terminated.path("reason").asText(reason);
            }
        }
        if (pod.at("/status/reason").isTextual()) {
            reason = pod.at("/status/reason").asText();
        }
        return reason;
    }

    private static String jobStatus(JsonNode job) {
        for (JsonNode c : job.at("/status/conditions")) {
            if ("True".equals(c.path("status").asText())) {
                switch (c.path("type").asText()) {
                    case "Complete" :
                        return "Complete";
                    case "Failed" :
                        return "Failed";
                    case "Suspended" :
                        return "Suspended";
                    default :
                        break;
                }
            }
        }
        return "Running";
    }
}
