package dev.modelops.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.modelops.runtime.Models;
import dev.modelops.runtime.onnx.CpuLimit;
import dev.modelops.runtime.onnx.ModelSession;

/** Several datatypes, a fixed batch size, overload and graceful shutdown. */
class ServingEdgeCasesTest {

    @TempDir
    Path dir;

    @Test
    void automaticThreadsLeaveTheEventLoopsTheirCores() throws Exception {
        Path model = Files.write(dir.resolve("iris.onnx"), Models.Mlp.random(4, 16, 3, 7).onnx(0));
        int cpus = CpuLimit.available();
        String body = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],"
                + "\"data\":[1,2,3,4]}]}";
        // What a user gets with nothing set: one event loop, the rest of the container's CPUs for the model.
        try (TestServer server = new TestServer(model, Map.of("MODELOPS_INTRA_OP_THREADS", "0"))) {
            assertThat(server.server.model.threads()).isEqualTo(new ModelSession.Threads(Math.max(1, cpus - 1), 1,
                    false));
            assertThat(server.post("/v2/models/iris/infer", body).status()).isEqualTo(200);
        }
        // As many event loops as CPUs: the model still gets one thread.
        try (TestServer server = new TestServer(model, Map.of("MODELOPS_INTRA_OP_THREADS", "0", "MODELOPS_IO_THREADS",
                Integer.toString(cpus)))) {
            assertThat(server.server.model.threads().intraOp()).isEqualTo(1);
            assertThat(server.post("/v2/models/iris/infer", body).status()).isEqualTo(200);
        }
        // A count given wins.
        try (TestServer server = new TestServer(model, Map.of("MODELOPS_INTRA_OP_THREADS", "3"))) {
            assertThat(server.server.model.threads().intraOp()).isEqualTo(3);
        }
    }

    @Test
    void everyDatatypeTheModelUsesTravelsAsJson() throws Exception {
        Path model = Files.write(dir.resolve("multi.onnx"), Models.multiTypeModel());
        try (TestServer server = new TestServer(model, Map.of())) {
            JsonNode metadata = server.get("/v2/models/iris").body();
            assertThat(metadata.get("inputs").findValuesAsText("datatype")).containsExactly("FP32", "INT64", "BOOL",
                    "FP64", "FP16", "INT8", "INT16", "INT32", "UINT8", "BYTES");
            String body = """
                    {"id": "types", "inputs": [
                      {"name": "x", "datatype": "FP32", "shape": [2, 3], "data": [0.5, 1.5, -2, 3, 4, 5]},
                      {"name": "n", "datatype": "INT64", "shape": [2, 3], "data": [1, 2, 3, -4, 5, 9007199254740993]},
                      {"name": "flag", "datatype": "BOOL", "shape": [2, 1], "data": [true, false]},
                      {"name": "d", "datatype": "FP64", "shape": [2, 2], "data": [1.5, -3, 1e-3, 2]},
                      {"name": "h", "datatype": "FP16", "shape": [2, 2], "data": [0.5, -2.25, 1024, 0.1]},
                      {"name": "i8", "datatype": "INT8", "shape": [2, 2], "data": [-128, 127, 0, -1]},
                      {"name": "i16", "datatype": "INT16", "shape": [2, 2], "data": [-32768, 32767, 5, -5]},
                      {"name": "i32", "datatype": "INT32", "shape": [2, 2], "data": [-2147483648, 2147483647, 7, 0]},
                      {"name": "u8", "datatype": "UINT8", "shape": [2, 2], "data": [0, 255, 128, 1]},
                      {"name": "s", "datatype": "BYTES", "shape": [2, 1], "data": ["héllo", ""]}]}
                    """;
            TestServer.Reply reply = server.post("/v2/models/iris/infer", body);
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
            assertThat(reply.body().get("id").asText()).isEqualTo("types");
            JsonNode sum = output(reply.body(), "sum");
            assertThat(sum.get("datatype").asText()).isEqualTo("FP32");
            double[] expectedSum = {1.5, 3.5, 1, -1, 9, (float) 9007199254740993L + 5};
            for (int i = 0; i < 6; i++) {
                assertThat(sum.get("data").get(i).asDouble()).isCloseTo(expectedSum[i], within(1e-3 * Math.max(1,
                        Math.abs(expectedSum[i]))));
            }
            assertThat(output(reply.body(), "not_flag").get("data").toString()).isEqualTo("[false,true]");
            assertThat(output(reply.body(), "not_flag").get("datatype").asText()).isEqualTo("BOOL");
            JsonNode d2 = output(reply.body(), "d2").get("data");
            assertThat(d2.get(0).asDouble()).isEqualTo(2.25);
            assertThat(d2.get(2).asDouble()).isEqualTo(1e-6, within(1e-18));
            JsonNode h = output(reply.body(), "h_out");
            assertThat(h.get("datatype").asText()).isEqualTo("FP16");
            assertThat(h.get("data").get(0).asDouble()).isEqualTo(0.5);
            assertThat(h.get("data").get(1).asDouble()).isEqualTo(-2.25);
            assertThat(h.get("data").get(2).asDouble()).isEqualTo(1024);
            assertThat(h.get("data").get(3).asDouble()).isCloseTo(0.1, within(1e-4));
            assertThat(output(reply.body(), "i8_out").get("data").toString()).isEqualTo("[-128,127,0,-1]");
            assertThat(output(reply.body(), "i16_out").get("data").toString()).isEqualTo("[-32768,32767,5,-5]");
            assertThat(output(reply.body(), "i32_out").get("data").toString())
                    .isEqualTo("[-2147483648,2147483647,7,0]");
            assertThat(output(reply.body(), "u8_out").get("data").toString()).isEqualTo("[0,255,128,1]");
            assertThat(output(reply.body(), "u8_out").get("datatype").asText()).isEqualTo("UINT8");
            assertThat(output(reply.body(), "s_out").get("data").toString()).isEqualTo("[\"héllo\",\"\"]");
            assertThat(output(reply.body(), "s_out").get("datatype").asText()).isEqualTo("BYTES");

            // Out of range for INT8, a string where a bool belongs, a missing input.
            assertThat(server.post("/v2/models/iris/infer", body.replace("-128", "-129")).body().get("error")
                    .asText()).contains("out of range for datatype INT8");
            TestServer.Reply notBool = server.post("/v2/models/iris/infer", body.replace("[true, false]",
                    "[true, \"no\"]"));
            assertThat(notBool.status()).isEqualTo(400);
            assertThat(notBool.body().get("field").asText()).isEqualTo("inputs[2].data");
            String withoutS = body.replaceAll(",\\s*\\{\"name\": \"s\"[^}]*}", "");
            TestServer.Reply missing = server.post("/v2/models/iris/infer", withoutS);
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.body().get("error").asText()).isEqualTo("input 's' is missing");
            TestServer.Reply mixedRows = server.post("/v2/models/iris/infer", body.replace(
                    "\"shape\": [2, 1], \"data\": [true, false]", "\"shape\": [1, 1], \"data\": [true]"));
            assertThat(mixedRows.status()).isEqualTo(400);
            assertThat(mixedRows.body().get("error").asText()).contains("same first dimension");
            assertThat(server.post("/v2/models/iris/infer", body).status()).isEqualTo(200);
        }
    }

    @Test
    void fp32TextIsRoundedOnceAndWrittenBackExactly() throws Exception {
        Path model = Files.write(dir.resolve("multi.onnx"), Models.multiTypeModel());
        // sum = x + float(n) with n = 0 returns x's FP32 values unchanged. The first is the classic double-rounding
        // case: through a double it becomes 1.0000002, read as an FP32 directly it is 1.0000001.
        String[] x = {"1.00000017881393432617187499", "3.4028235e38", "1e-45", "-0.1", "16777217", "2.5e-8"};
        String body = """
                {"inputs": [
                  {"name": "x", "datatype": "FP32", "shape": [2, 3], "data": [%s]},
                  {"name": "n", "datatype": "INT64", "shape": [2, 3], "data": [0, 0, 0, 0, 0, 0]},
                  {"name": "flag", "datatype": "BOOL", "shape": [2, 1], "data": [true, false]},
                  {"name": "d", "datatype": "FP64", "shape": [2, 2], "data": [0.1, 2, 3, 4]},
                  {"name": "h", "datatype": "FP16", "shape": [2, 2], "data": [1, 2, 3, 4]},
                  {"name": "i8", "datatype": "INT8", "shape": [2, 2], "data": [1, 2, 3, 4]},
                  {"name": "i16", "datatype": "INT16", "shape": [2, 2], "data": [1, 2, 3, 4]},
                  {"name": "i32", "datatype": "INT32", "shape": [2, 2], "data": [1, 2, 3, 4]},
                  {"name": "u8", "datatype": "UINT8", "shape": [2, 2], "data": [1, 2, 3, 4]},
                  {"name": "s", "datatype": "BYTES", "shape": [2, 1], "data": ["a", "b"]}]}
                """.formatted(String.join(", ", x));
        try (TestServer server = new TestServer(model, Map.of())) {
            TestServer.Reply reply = server.post("/v2/models/iris/infer", body);
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
            JsonNode sum = output(reply.body(), "sum").get("data");
            for (int i = 0; i < x.length; i++) {
                // The text written back reads as the same FP32 bits as the text sent.
                assertThat(Float.floatToRawIntBits(Float.parseFloat(sum.get(i).asText()))).as(x[i]).isEqualTo(Float
                        .floatToRawIntBits(Float.parseFloat(x[i])));
            }
            assertThat(sum.get(0).asText()).isEqualTo("1.0000001");
            assertThat(output(reply.body(), "d2").get("data").get(0).asDouble()).isEqualTo(0.1 * 0.1);
        }
    }

    @Test
    void aFixedBatchSizeIsServedWithoutMergingAndOtherSizesAreRefused() throws Exception {
        Models.Mlp mlp = Models.Mlp.random(4, 8, 3, 11);
        try (TestServer server = new TestServer(mlp.write(dir.resolve("fixed.onnx"), 2), Map.of())) {
            assertThat(server.get("/v2/models/iris").body().at("/inputs/0/shape").toString()).isEqualTo("[2,4]");
            float[][] rows = {{1, 0, -1, 2}, {0.5f, 0.5f, 3, -2}};
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                replies.add(TestServer.CLIENT.sendAsync(server.request("/v2/models/iris/infer",
                        InferenceServerTest.inferBody("f" + i, rows), "application/json"),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> reply : replies) {
                JsonNode output = TestServer.reply(reply.join()).body().at("/outputs/0");
                for (int r = 0; r < 2; r++) {
                    double[] expected = mlp.predict(rows[r]);
                    for (int k = 0; k < 3; k++) {
                        assertThat(output.get("data").get(r * 3 + k).asDouble()).isCloseTo(expected[k], within(
                                1e-5));
                    }
                }
            }
            String metrics = server.metrics();
            // Never merged: every batch is one request.
            assertThat(InferenceServerTest.sample(metrics, "modelops_inference_batch_size_bucket", "le=\"1.0\""))
                    .isEqualTo(InferenceServerTest.sample(metrics, "modelops_inference_batch_size_count"))
                    .isEqualTo(6);
            TestServer.Reply one = server.post("/v2/models/iris/infer", InferenceServerTest.inferBody("x",
                    new float[][]{rows[0]}));
            assertThat(one.status()).isEqualTo(400);
            assertThat(one.body().get("field").asText()).isEqualTo("inputs[0].shape");
            assertThat(one.body().get("error").asText()).contains("has shape [2, 4]");
        }
    }

    @Test
    void aFloodPastTheQueueGets503WithRetryAfterAndTheServerRecovers() throws Exception {
        Path model = Files.write(dir.resolve("deep.onnx"), Models.deepModel(16, 1024, 4, 5));
        try (TestServer server = new TestServer(model, Map.of("MODELOPS_QUEUE_CAPACITY", "2",
                "MODELOPS_MAX_BATCH_SIZE", "64"))) {
            // Each request is small to send and parse but takes tens of milliseconds to compute.
            float[][] rows = new float[64][16];
            for (int r = 0; r < 64; r++) {
                rows[r][r % 16] = 1;
            }
            String body = TestServer.JSON.writeValueAsString(Map.of("inputs", List.of(Map.of("name", "input",
                    "datatype", "FP32", "shape", List.of(64, 16), "data", rows))));
            List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                flood.add(TestServer.CLIENT.sendAsync(server.request("/v2/models/iris/infer", body,
                        "application/json"), HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            int rejected = 0;
            for (CompletableFuture<HttpResponse<String>> reply : flood) {
                HttpResponse<String> response = reply.join();
                assertThat(response.statusCode()).isIn(200, 503);
                if (response.statusCode() == 503) {
                    rejected++;
                    assertThat(response.headers().firstValue("Retry-After")).contains("1");
                    assertThat(TestServer.JSON.readTree(response.body()).get("error").asText()).contains(
                            "queue of 2 requests is full");
                } else {
                    ok++;
                }
            }
            assertThat(ok).isPositive();
            assertThat(rejected).isPositive();
            assertThat(InferenceServerTest.sample(server.metrics(), "modelops_inference_requests_total",
                    "outcome=\"rejected\"")).isEqualTo(rejected);
            assertThat(server.post("/v2/models/iris/infer", body).status()).isEqualTo(200);
            assertThat(server.get("/v2/health/ready").status()).isEqualTo(200);
        }
    }

    @Test
    void aRequestAloneRunsInlineAndABurstBehindItIsStillMergedIntoBatches() throws Exception {
        Path model = Files.write(dir.resolve("deep.onnx"), Models.deepModel(16, 1024, 4, 5));
        // Inline runs allowed for this model whatever its cost here, to hold the event loop long enough.
        try (TestServer server = new TestServer(model, Map.of("MODELOPS_MAX_BATCH_SIZE", "256",
                "MODELOPS_INLINE_BELOW_MICROS", "60000000"))) {
            assertThat(server.server.model.runsInlineWhenAlone()).isTrue();
            // One at a time: nothing else in flight, so each runs on the event loop and is answered as usual.
            List<JsonNode> alone = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                TestServer.Reply reply = server.post("/v2/models/iris/infer", deepBody(k, 1));
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.body().at("/outputs/0/shape").toString()).isEqualTo("[1,1024]");
                alone.add(reply.body().at("/outputs/0/data"));
            }
            long batchesBefore = InferenceServerTest.sample(server.metrics(), "modelops_inference_batch_size_count");
            assertThat(batchesBefore).isEqualTo(4);

            // A burst behind a long request (256 rows, tens of milliseconds): what is read while others are in flight goes to the batcher and is
            // merged there. (Answering an inline run at once would make each request read after it alone again,
            // one after the other: batches of one row only.)
            List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
            burst.add(TestServer.CLIENT.sendAsync(server.request("/v2/models/iris/infer", deepBody(0, 256),
                    "application/json"), HttpResponse.BodyHandlers.ofString()));
            Awaitility.await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(10)).until(
                    () -> server.server.inFlight() > 0 || burst.get(0).isDone());
            for (int i = 0; i < 31; i++) {
                burst.add(TestServer.CLIENT.sendAsync(server.request("/v2/models/iris/infer", deepBody(i % 4, 1),
                        "application/json"), HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < burst.size(); i++) {
                TestServer.Reply reply = TestServer.reply(burst.get(i).join());
                assertThat(reply.status()).isEqualTo(200);
                if (i > 0) {
                    JsonNode data = reply.body().at("/outputs/0/data");
                    JsonNode expected = alone.get((i - 1) % 4);
                    for (int j = 0; j < 1024; j += 97) {
                        assertThat(data.get(j).asDouble()).isCloseTo(expected.get(j).asDouble(), within(1e-3));
                    }
                }
            }
            String metrics = server.metrics();
            long batches = InferenceServerTest.sample(metrics, "modelops_inference_batch_size_count") - batchesBefore;
            long singleRow = InferenceServerTest.sample(metrics, "modelops_inference_batch_size_bucket",
                    "le=\"1.0\"") - batchesBefore;
            // Not every one-row request ran alone: besides the 256-row one, some batch merged several.
            assertThat(batches).isGreaterThan(singleRow + 1);
        }
    }

    @Test
    void inlineRunsAreOffWithABatchingDelayOrWhenTurnedOff() throws Exception {
        Path model = Models.Mlp.random(4, 8, 3, 5).write(dir.resolve("mlp.onnx"), 0);
        try (TestServer server = new TestServer(model, Map.of())) {
            // A tiny model with the defaults: its warm run is far below the default bound.
            assertThat(server.server.model.runsInlineWhenAlone()).isTrue();
        }
        try (TestServer server = new TestServer(model, Map.of("MODELOPS_MAX_BATCH_DELAY", "5"))) {
            assertThat(server.server.model.runsInlineWhenAlone()).isFalse();
        }
        try (TestServer server = new TestServer(model, Map.of("MODELOPS_INLINE_BELOW_MICROS", "0"))) {
            assertThat(server.server.model.runsInlineWhenAlone()).isFalse();
            assertThat(server.post("/v2/models/iris/infer", InferenceServerTest.inferBody("q", new float[][]{{1, 2,
                    3, 4}})).status()).isEqualTo(200);
        }
    }

    /** {@code rows} one-hot rows of 16 for the deep model, the first hot at {@code k}. */
    private static String deepBody(int k, int rows) throws Exception {
        float[][] data = new float[rows][16];
        for (int r = 0; r < rows; r++) {
            data[r][(k + r) % 16] = k + 1;
        }
        return TestServer.JSON.writeValueAsString(Map.of("inputs", List.of(Map.of("name", "input", "datatype",
                "FP32", "shape", List.of(rows, 16), "data", data))));
    }

    @Test
    void aStoppingServerReportsNotReadyButGoesOnAnsweringForTheShutdownDelay() throws Exception {
        Models.Mlp mlp = Models.Mlp.random(4, 8, 3, 5);
        TestServer server = new TestServer(mlp.write(dir.resolve("mlp.onnx"), 0), Map.of(
                "MODELOPS_SHUTDOWN_DELAY_SECONDS", "3"));
        String body = InferenceServerTest.inferBody("d", new float[][]{{1, 2, 3, 4}});
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> !server.server.ready());
        // The endpoint is on its way out of the Service; what still reaches it is answered.
        assertThat(server.get("/v2/health/ready").status()).isEqualTo(503);
        assertThat(server.get("/v2/health/live").status()).isEqualTo(200);
        assertThat(server.post("/v2/models/iris/infer", body).status()).isEqualTo(200);
        assertThat(closing).isNotDone();
        closing.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void shutdownFinishesTheRequestsInFlight() throws Exception {
        Models.Mlp mlp = Models.Mlp.random(4, 16, 3, 13);
        TestServer server = new TestServer(mlp.write(dir.resolve("mlp.onnx"), 0), Map.of("MODELOPS_MAX_BATCH_SIZE",
                "64", "MODELOPS_MAX_BATCH_DELAY", "1500"));
        float[][] rows = {{1, 2, 3, 4}};
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            replies.add(TestServer.CLIENT.sendAsync(server.request("/v2/models/iris/infer", InferenceServerTest
                    .inferBody("s" + i, rows), "application/json"), HttpResponse.BodyHandlers.ofString()));
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.server.inFlight() == 5);
        // What the HPA's concurrency target reads.
        assertThat(InferenceServerTest.sample(server.metrics(), "modelops_inference_in_flight_requests"))
                .isEqualTo(5);
        server.close();
        for (CompletableFuture<HttpResponse<String>> reply : replies) {
            TestServer.Reply answered = TestServer.reply(reply.join());
            assertThat(answered.status()).isEqualTo(200);
            assertThat(answered.body().at("/outputs/0/data/0").asDouble()).isCloseTo(mlp.predict(rows[0])[0],
                    within(1e-5));
        }
        assertThat(server.server.ready()).isFalse();
    }

    @Test
    void aModelWhoseZeroWarmUpFailsIsServedAndAnswersCorrectly() throws Exception {
        Path model = Files.write(dir.resolve("div.onnx"), Models.divisionModel());
        try (TestServer server = new TestServer(model, Map.of())) {
            assertThat(server.get("/v2/health/ready").status()).isEqualTo(200);
            TestServer.Reply reply = server.post("/v2/models/iris/infer", Models.divisionRequest(new int[]{7, -9, 100,
                    5}, new int[]{2, 3, 7, -5}));
            assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
            assertThat(reply.body().at("/outputs/0/data").toString()).isEqualTo("[3,-3,14,-1]");
            // A zero divisor in a request is that request's failure only.
            TestServer.Reply zero = server.post("/v2/models/iris/infer", Models.divisionRequest(new int[]{1, 2},
                    new int[]{0, 1}));
            assertThat(zero.status()).isEqualTo(500);
            assertThat(zero.body().get("error").asText()).contains("division by zero");
            assertThat(server.post("/v2/models/iris/infer", Models.divisionRequest(new int[]{8, 8}, new int[]{4, 2}))
                    .body().at("/outputs/0/data").toString()).isEqualTo("[2,4]");
        }
    }

    @Test
    void aSampleInputIsTheWarmUpAndABadOneFallsBackToZeros() throws Exception {
        Models.Mlp mlp = Models.Mlp.random(4, 8, 3, 3);
        Path model = mlp.write(dir.resolve("mlp.onnx"), 0);
        Path sample = Files.writeString(dir.resolve("sample.json"), InferenceServerTest.inferBody("w",
                new float[][]{{1, 2, 3, 4}}));
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"inputs\": 3}");
        for (Path warmup : List.of(sample, broken)) {
            try (TestServer server = new TestServer(model, Map.of("MODELOPS_WARMUP_INPUT", warmup.toString()))) {
                assertThat(server.get("/v2/health/ready").status()).isEqualTo(200);
                assertThat(server.post("/v2/models/iris/infer", InferenceServerTest.inferBody("a", new float[][]{{1,
                        2, 3, 4}})).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void theWarmUpRequestFromTheEnvironmentIsWhatTheServerWarmsUpWith() throws Exception {
        String body = InferenceServerTest.inferBody("w", new float[][]{{1, 2, 3, 4}});
        ServerConfig inline = ServerConfig.fromEnvironment(Map.of("MODELOPS_MODEL_PATH", "/m.onnx",
                "MODELOPS_WARMUP_REQUEST", body));
        assertThat(inline.warmupInput()).isNotNull();
        assertThat(Files.readString(inline.warmupInput())).isEqualTo(body);
        Path file = Files.writeString(dir.resolve("file.json"), body);
        assertThat(ServerConfig.fromEnvironment(Map.of("MODELOPS_MODEL_PATH", "/m.onnx", "MODELOPS_WARMUP_INPUT",
                file.toString(), "MODELOPS_WARMUP_REQUEST", "{}")).warmupInput()).as("a file wins").isEqualTo(file);
        assertThat(ServerConfig.fromEnvironment(Map.of("MODELOPS_MODEL_PATH", "/m.onnx")).warmupInput()).isNull();

        Path model = Files.write(dir.resolve("div.onnx"), Models.divisionModel());
        try (TestServer server = new TestServer(model, Map.of("MODELOPS_WARMUP_REQUEST",
                Models.divisionRequest(new int[]{6, 9}, new int[]{3, 2})))) {
            assertThat(server.get("/v2/health/ready").status()).isEqualTo(200);
            assertThat(server.post("/v2/models/iris/infer", Models.divisionRequest(new int[]{8, 8}, new int[]{4, 2}))
                    .body().at("/outputs/0/data").toString()).isEqualTo("[2,4]");
        }
    }

    private static JsonNode output(JsonNode reply, String name) {
        for (JsonNode output : reply.get("outputs")) {
            if (output.get("name").asText().equals(name)) {
                return output;
            }
        }
        throw new AssertionError("no output " + name + " in " + reply);
    }
}
