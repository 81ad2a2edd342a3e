package dev.modelops.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.modelops.runtime.Models;

/** The MLP classifier with a dynamic batch, through a real HTTP client. */
class InferenceServerTest {

    static final Models.Mlp MLP = Models.Mlp.random(4, 16, 3, 7);

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(MLP.write(dir.resolve("mlp.onnx"), 0), Map.of("MODELOPS_MAX_BATCH_SIZE", "16",
                "MODELOPS_MAX_BATCH_DELAY", "5", "MODELOPS_MAX_BODY_BYTES", "4096", "MODELOPS_CLASS_LABELS",
                "setosa,versicolor,virginica"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static float[][] rows(Random random, int n) {
        float[][] rows = new float[n][4];
        for (float[] row : rows) {
            for (int i = 0; i < 4; i++) {
                row[i] = (float) (random.nextGaussian() * 2);
            }
        }
        return rows;
    }

    static String inferBody(String id, float[][] rows) throws Exception {
        return TestServer.JSON.writeValueAsString(Map.of("id", id, "inputs", List.of(Map.of("name", "input",
                "datatype", "FP32", "shape", List.of(rows.length, 4), "data", rows))));
    }

    static void assertPredictions(JsonNode reply, float[][] rows) {
        JsonNode output = reply.get("outputs").get(0);
        assertThat(output.get("name").asText()).isEqualTo("probabilities");
        assertThat(output.get("datatype").asText()).isEqualTo("FP32");
        assertThat(output.get("shape").toString()).isEqualTo("[" + rows.length + ",3]");
        for (int r = 0; r < rows.length; r++) {
            double[] expected = MLP.predict(rows[r]);
            for (int k = 0; k < 3; k++) {
                assertThat(output.get("data").get(r * 3 + k).asDouble()).isCloseTo(expected[k], within(1e-5));
            }
        }
    }

    @Test
    void healthAndMetadataComeFromTheModel() throws Exception {
        assertThat(server.get("/v2/health/live").status()).isEqualTo(200);
        assertThat(server.get("/v2/health/ready").body().get("ready").asBoolean()).isTrue();
        assertThat(server.get("/v2").body().get("name").asText()).isEqualTo("modelops-runtime");
        for (String path : List.of("/v2/models/iris", "/v2/models/iris/versions/3")) {
            JsonNode metadata = server.get(path).body();
            assertThat(metadata.get("name").asText()).isEqualTo("iris");
            assertThat(metadata.get("versions").toString()).isEqualTo("[\"3\"]");
            assertThat(metadata.at("/inputs/0").toString())
                    .isEqualTo("{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,4]}");
            assertThat(metadata.at("/outputs/0").toString())
                    .isEqualTo("{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,3]}");
        }
        assertThat(server.get("/v2/models/iris/ready").status()).isEqualTo(200);
        assertThat(server.get("/v2/models/iris/versions/3/ready").status()).isEqualTo(200);
        assertThat(server.get("/v2/models/iris/versions/4/ready").status()).isEqualTo(404);
        assertThat(server.get("/v2/models/other").status()).isEqualTo(404);
    }

    @Test
    void inferMatchesAnIndependentComputationWithAndWithoutVersion() throws Exception {
        float[][] rows = rows(new Random(1), 5);
        for (String path : List.of("/v2/models/iris/infer", "/v2/models/iris/versions/3/infer")) {
            TestServer.Reply reply = server.post(path, inferBody("req-1", rows));
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body().get("id").asText()).isEqualTo("req-1");
            assertThat(reply.body().get("model_name").asText()).isEqualTo("iris");
            assertThat(reply.body().get("model_version").asText()).isEqualTo("3");
            assertPredictions(reply.body(), rows);
        }
    }

    @Test
    void nestedDataAndOutputSelection() throws Exception {
        String body = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],"
                + "\"data\":[[1.0,2.0,-1.5,0.25]]}],\"outputs\":[{\"name\":\"probabilities\"}]}";
        TestServer.Reply reply = server.post("/v2/models/iris/infer", body);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().has("id")).isFalse();
        assertPredictions(reply.body(), new float[][]{{1f, 2f, -1.5f, 0.25f}});
        // Fields in any order: data before the name, datatype and shape it needs.
        String dataFirst = "{\"outputs\":[{\"name\":\"probabilities\"}],\"inputs\":[{\"data\":[[1.0,2.0,-1.5,0.25]],"
                + "\"shape\":[1,4],\"name\":\"input\",\"datatype\":\"FP32\"}],\"id\":\"late\"}";
        TestServer.Reply late = server.post("/v2/models/iris/infer", dataFirst);
        assertThat(late.status()).isEqualTo(200);
        assertThat(late.body().get("id").asText()).isEqualTo("late");
        assertPredictions(late.body(), new float[][]{{1f, 2f, -1.5f, 0.25f}});
        TestServer.Reply lateBad = server.post("/v2/models/iris/infer", dataFirst.replace("2.0", "true"));
        assertThat(lateBad.status()).isEqualTo(400);
        assertThat(lateBad.body().get("error").asText()).contains("element 1 of inputs[0].data is not a number");
    }

    @Test
    void concurrentRequestsAreBatchedAndEachGetsItsOwnRows() throws Exception {
        Random random = new Random(2);
        List<float[][]> inputs = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            float[][] rows = rows(random, 1 + i % 3);
            inputs.add(rows);
            replies.add(TestServer.CLIENT.sendAsync(server.request("/v2/models/iris/infer", inferBody("c" + i, rows),
                    "application/json"), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < replies.size(); i++) {
            TestServer.Reply reply = TestServer.reply(replies.get(i).join());
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.body().get("id").asText()).isEqualTo("c" + i);
            assertPredictions(reply.body(), inputs.get(i));
        }
        String metrics = server.metrics();
        // Some batch held more than one row: a bucket below 1 row counts fewer batches than the total.
        long batches = sample(metrics, "modelops_inference_batch_size_count");
        long singleRow = sample(metrics, "modelops_inference_batch_size_bucket", "le=\"1.0\"");
        assertThat(batches).isGreaterThan(singleRow);
    }

    @Test
    void badInputGetsA4xxNamingTheProblemAndTheServerKeepsServing() throws Exception {
        long clientErrorsBefore = sample(server.metrics(), "modelops_inference_requests_total",
                "outcome=\"client_error\"");
        record Case(String path, String body, String contentType, int status, String field, String message) {
        }
        String good = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[1,2,3,4]}]}";
        List<Case> cases = List.of(
                new Case("/v2/models/iris/infer", "{\"inputs\": [", "application/json", 400, null, "malformed JSON"),
                new Case("/v2/models/nope/infer", good, "application/json", 404, "model_name", "unknown model 'nope'"),
                new Case("/v2/models/iris/versions/9/infer", good, "application/json", 404, "model_version",
                        "no version '9'"),
                new Case("/v2/models/iris/infer", good.replace("FP32", "INT64"), "application/json", 400,
                        "inputs[0].datatype", "has datatype FP32, not INT64"),
                new Case("/v2/models/iris/infer", good.replace("FP32", "FP99"), "application/json", 400,
                        "inputs[0].datatype", "unknown datatype FP99"),
                new Case("/v2/models/iris/infer", good.replace("[1,4]", "[1,5]"), "application/json", 400,
                        "inputs[0].shape", "has shape [-1, 4]"),
                new Case("/v2/models/iris/infer", good.replace("[1,4]", "[2,4]"), "application/json", 400,
                        "inputs[0].data", "needs 8 elements, data has 4"),
                new Case("/v2/models/iris/infer", good.replace("[1,2,3,4]", "[1,2,\"x\",4]"), "application/json",
                        400, "inputs[0].data", "element 2 of inputs[0].data is not a number"),
                new Case("/v2/models/iris/infer", good.replace("\"input\"", "\"features\""), "application/json",
                        400, "inputs[0].name", "no input 'features'"),
                new Case("/v2/models/iris/infer", "{\"inputs\":[]}", "application/json", 400, "inputs",
                        "non-empty"),
                new Case("/v2/models/iris/infer", good.replace("]}]}", "]}],\"outputs\":[{\"name\":\"logits\"}]}"),
                        "application/json", 400, "outputs[0].name", "no output 'logits'"),
                new Case("/v2/models/iris/infer", good, "text/plain", 415, "Content-Type", "application/json"),
                new Case("/v2/models/iris/infer", "{\"inputs\":[" + "1,".repeat(3000) + "1]}", "application/json",
                        413, "body", "larger than the limit"));
        for (Case c : cases) {
            TestServer.Reply reply = server.post(c.path(), c.body(), c.contentType());
            assertThat(reply.status()).as(c.message()).isEqualTo(c.status());
            assertThat(reply.body().get("error").asText()).as(c.message()).contains(c.message());
            if (c.field() != null) {
                assertThat(reply.body().get("field").asText()).isEqualTo(c.field());
            }
        }
        TestServer.Reply ok = server.post("/v2/models/iris/infer", good);
        assertThat(ok.status()).isEqualTo(200);
        assertPredictions(ok.body(), new float[][]{{1, 2, 3, 4}});
        long unknownModelCases = 2; // 404s are client errors too
        assertThat(sample(server.metrics(), "modelops_inference_requests_total", "outcome=\"client_error\""))
                .isEqualTo(clientErrorsBefore + cases.size() - unknownModelCases + unknownModelCases);
    }

    @Test
    void metricsCarryModelVersionAndTrackAndCountPredictedClasses() throws Exception {
        float[][] rows = rows(new Random(3), 20);
        long[] expected = new long[3];
        for (float[] row : rows) {
            double[] p = MLP.predict(row);
            int best = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
            expected[best]++;
        }
        String[] labels = {"setosa", "versicolor", "virginica"};
        long[] before = new long[3];
        String metrics = server.metrics();
        for (int k = 0; k < 3; k++) {
            before[k] = sample(metrics, "modelops_predictions_total", "class=\"" + labels[k] + "\"");
        }
        assertThat(server.post("/v2/models/iris/infer", inferBody("m", rows)).status()).isEqualTo(200);
        metrics = server.metrics();
        for (int k = 0; k < 3; k++) {
            assertThat(sample(metrics, "modelops_predictions_total", "class=\"" + labels[k] + "\"") - before[k])
                    .isEqualTo(expected[k]);
        }
        assertThat(metrics).contains("modelops_inference_requests_total{model=\"iris\",outcome=\"success\","
                + "track=\"canary\",version=\"3\"}");
        assertThat(metrics).contains("# TYPE modelops_inference_request_duration_seconds histogram");
        assertThat(metrics).contains(
                "modelops_inference_queue_duration_seconds_bucket{model=\"iris\",track=\"canary\",version=\"3\",le=\"0.005\"}");
        assertThat(sample(metrics, "modelops_inference_request_duration_seconds_count")).isPositive();
        assertThat(sample(metrics, "modelops_inference_queue_duration_seconds_count")).isPositive();
        assertThat(server.get("/metrics").raw().headers().firstValue("Content-Type").orElse(""))
                .startsWith("text/plain; version=0.0.4");
    }

    /** The value of the first series of {@code name} whose labels contain every {@code labels} fragment. */
    static long sample(String metrics, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(metrics);
        while (m.find()) {
            boolean all = true;
            for (String label : labels) {
                all &= m.group(1).contains(label);
            }
            if (all) {
                return (long) Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }

    static Path write(Path file, byte[] bytes) throws Exception {
        return Files.write(file, bytes);
    }
}
