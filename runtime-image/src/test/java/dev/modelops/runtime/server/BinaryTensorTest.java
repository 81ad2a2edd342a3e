package dev.modelops.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.modelops.runtime.Models;
import dev.modelops.onnx.ElementType;
import dev.modelops.onnx.OnnxModelBuilder;
import dev.modelops.onnx.OnnxModelBuilder.Dim;

/** The binary tensor extension over a real HTTP client: every datatype both ways, and every malformed framing. */
class BinaryTensorTest {

    private static final String HEADER = "Inference-Header-Content-Length";

    @TempDir
    Path dir;

    /** One input of a binary request: its JSON description and its raw little-endian bytes. */
    record Part(String name, String datatype, long[] shape, byte[] raw) {
    }

    record Answer(int status, JsonNode json, Map<String, byte[]> binary, HttpResponse<byte[]> raw) {
    }

    static ByteBuffer le(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] strings(String... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String value : values) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(le(4).putInt(utf8.length).array());
            out.writeBytes(utf8);
        }
        return out.toByteArray();
    }

    /** A request whose inputs are all binary; {@code tail} is appended to the JSON (outputs, parameters). */
    static byte[][] request(List<Part> parts, String tail) throws Exception {
        StringBuilder json = new StringBuilder("{\"id\":\"bin\",\"inputs\":[");
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(part.name).append("\",\"datatype\":\"")
                    .append(part.datatype).append("\",\"shape\":").append(Arrays.toString(part.shape))
                    .append(",\"parameters\":{\"binary_data_size\":").append(part.raw.length).append("}}");
            binary.writeBytes(part.raw);
        }
        byte[] header = json.append("]").append(tail).append("}").toString().getBytes(StandardCharsets.UTF_8);
        return new byte[][]{header, binary.toByteArray()};
    }

    static Answer post(TestServer server, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.base + "/v2/models/iris/infer"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<byte[]> response = TestServer.CLIENT.send(request.build(), HttpResponse.BodyHandlers
                .ofByteArray());
        byte[] bytes = response.body();
        int jsonLength = response.headers().firstValue(HEADER).map(Integer::parseInt).orElse(bytes.length);
        JsonNode json = TestServer.JSON.readTree(Arrays.copyOf(bytes, jsonLength));
        Map<String, byte[]> binary = new LinkedHashMap<>();
        int offset = jsonLength;
        if (json.has("outputs")) {
            for (JsonNode output : json.get("outputs")) {
                JsonNode size = output.at("/parameters/binary_data_size");
                if (!size.isMissingNode()) {
                    binary.put(output.get("name").asText(), Arrays.copyOfRange(bytes, offset, offset + size.asInt()));
                    offset += size.asInt();
                }
            }
        }
        assertThat(offset).as("every byte after the JSON belongs to an output").isEqualTo(bytes.length);
        return new Answer(response.statusCode(), json, binary, response);
    }

    static Answer post(TestServer server, byte[][] request) throws Exception {
        byte[] body = new byte[request[0].length + request[1].length];
        System.arraycopy(request[0], 0, body, 0, request[0].length);
        System.arraycopy(request[1], 0, body, request[0].length, request[1].length);
        return post(server, body, Map.of(HEADER, Integer.toString(request[0].length), "Content-Type",
                "application/octet-stream"));
    }

    @Test
    void everyDatatypeTravelsAsRawBytesBothWays() throws Exception {
        Path model = Files.write(dir.resolve("multi.onnx"), Models.multiTypeModel());
        try (TestServer server = new TestServer(model, Map.of())) {
            float[] x = {0.5f, 1.5f, -2, 3, 4, 5};
            long[] n = {1, 2, 3, -4, 5, 9007199254740993L};
            double[] d = {1.5, -3, 1e-3, 2};
            short[] h = {Half.fromFloat(0.5f), Half.fromFloat(-2.25f), Half.fromFloat(1024), Half.fromFloat(0.1f)};
            ByteBuffer xs = le(24);
            xs.asFloatBuffer().put(x);
            ByteBuffer ns = le(48);
            ns.asLongBuffer().put(n);
            ByteBuffer ds = le(32);
            ds.asDoubleBuffer().put(d);
            ByteBuffer hs = le(8);
            hs.asShortBuffer().put(h);
            byte[] i8 = {-128, 127, 0, -1};
            ByteBuffer i16 = le(8);
            i16.asShortBuffer().put(new short[]{-32768, 32767, 5, -5});
            ByteBuffer i32 = le(16);
            i32.asIntBuffer().put(new int[]{Integer.MIN_VALUE, Integer.MAX_VALUE, 7, 0});
            byte[] u8 = {0, (byte) 255, (byte) 128, 1};
            List<Part> parts = List.of(new Part("x", "FP32", new long[]{2, 3}, xs.array()),
                    new Part("n", "INT64", new long[]{2, 3}, ns.array()),
                    new Part("flag", "BOOL", new long[]{2, 1}, new byte[]{1, 0}),
                    new Part("d", "FP64", new long[]{2, 2}, ds.array()),
                    new Part("h", "FP16", new long[]{2, 2}, hs.array()),
                    new Part("i8", "INT8", new long[]{2, 2}, i8), new Part("i16", "INT16", new long[]{2, 2}, i16
                            .array()),
                    new Part("i32", "INT32", new long[]{2, 2}, i32.array()),
                    new Part("u8", "UINT8", new long[]{2, 2}, u8),
                    new Part("s", "BYTES", new long[]{2, 1}, strings("héllo", "")));
            Answer answer = post(server, request(parts, ",\"parameters\":{\"binary_data_output\":true}"));
            assertThat(answer.status()).as(new String(answer.raw().body(), StandardCharsets.UTF_8)).isEqualTo(200);
            assertThat(answer.raw().headers().firstValue("Content-Type")).contains("application/octet-stream");
            assertThat(answer.json().get("id").asText()).isEqualTo("bin");
            ByteBuffer sum = le(24);
            for (int i = 0; i < 6; i++) {
                sum.putFloat(x[i] + (float) n[i]);
            }
            ByteBuffer d2 = le(32);
            for (double v : d) {
                d2.putDouble(v * v);
            }
            assertThat(answer.binary().get("sum")).isEqualTo(sum.array());
            assertThat(answer.binary().get("not_flag")).isEqualTo(new byte[]{0, 1});
            assertThat(answer.binary().get("d2")).isEqualTo(d2.array());
            assertThat(answer.binary().get("h_out")).isEqualTo(hs.array());
            assertThat(answer.binary().get("i8_out")).isEqualTo(i8);
            assertThat(answer.binary().get("i16_out")).isEqualTo(i16.array());
            assertThat(answer.binary().get("i32_out")).isEqualTo(i32.array());
            assertThat(answer.binary().get("u8_out")).isEqualTo(u8);
            assertThat(answer.binary().get("s_out")).isEqualTo(strings("héllo", ""));
            for (JsonNode output : answer.json().get("outputs")) {
                assertThat(output.has("data")).isFalse();
                assertThat(output.get("shape").get(0).asInt()).isEqualTo(2);
            }

            // Outputs chosen one by one: binary for some, JSON for the others.
            Answer mixed = post(server, request(parts, ",\"outputs\":[{\"name\":\"sum\",\"parameters\":"
                    + "{\"binary_data\":true}},{\"name\":\"not_flag\"}]"));
            assertThat(mixed.status()).isEqualTo(200);
            assertThat(mixed.binary().keySet()).containsExactly("sum");
            assertThat(mixed.binary().get("sum")).isEqualTo(sum.array());
            assertThat(mixed.json().at("/outputs/1/data").toString()).isEqualTo("[false,true]");

            // A BYTES element that claims more bytes than the tensor has.
            byte[] badStrings = strings("héllo", "");
            ByteBuffer.wrap(badStrings).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 99);
            List<Part> bad = new java.util.ArrayList<>(parts);
            bad.set(9, new Part("s", "BYTES", new long[]{2, 1}, badStrings));
            Answer refused = post(server, request(bad, ""));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("field").asText()).isEqualTo("inputs[9].parameters.binary_data_size");
            assertThat(refused.json().get("error").asText()).contains("declares 99 bytes");
            assertThat(post(server, request(parts, "")).status()).isEqualTo(200);
        }
    }

    @Test
    void bfloat16TravelsAsRawBytesAndAsJson() throws Exception {
        byte[] onnx = OnnxModelBuilder.graph("bf16").input("b", ElementType.BFLOAT16, Dim.named("batch"), Dim.of(2))
                .node("Identity", List.of("b"), List.of("b_out"))
                .output("b_out", ElementType.BFLOAT16, Dim.named("batch"), Dim.of(2)).build();
        try (TestServer server = new TestServer(Files.write(dir.resolve("bf16.onnx"), onnx), Map.of())) {
            ByteBuffer raw = le(4);
            raw.asShortBuffer().put(new short[]{Half.bfloatFromFloat(1.5f), Half.bfloatFromFloat(-256f)});
            Answer answer = post(server, request(List.of(new Part("b", "BF16", new long[]{1, 2}, raw.array())),
                    ",\"parameters\":{\"binary_data_output\":true}"));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.binary().get("b_out")).isEqualTo(raw.array());
            Answer json = post(server, request(List.of(new Part("b", "BF16", new long[]{1, 2}, raw.array())), ""));
            assertThat(json.json().at("/outputs/0/data").toString()).isEqualTo("[1.5,-256.0]");
        }
    }

    @Test
    void badFramingGets400WithAReasonAndTheServerKeepsServing() throws Exception {
        Models.Mlp mlp = Models.Mlp.random(4, 16, 3, 7);
        try (TestServer server = new TestServer(mlp.write(dir.resolve("mlp.onnx"), 0), Map.of())) {
            float[] row = {1, 2, 3, 4};
            ByteBuffer four = le(16);
            four.asFloatBuffer().put(row);
            byte[][] good = request(List.of(new Part("input", "FP32", new long[]{1, 4}, four.array())), "");
            byte[] body = concat(good[0], good[1]);
            String length = Integer.toString(good[0].length);
            record Case(byte[] body, Map<String, String> headers, int status, String field, String message) {
            }
            Map<String, String> octets = Map.of("Content-Type", "application/octet-stream");
            List<Case> cases = List.of(
                    new Case(body, Map.of(HEADER, "twelve"), 400, HEADER, "must be a number of bytes"),
                    new Case(body, Map.of(HEADER, "-1"), 400, HEADER, "must be a number of bytes"),
                    new Case(body, Map.of(HEADER, Integer.toString(body.length + 1)), 400, HEADER,
                            "must be a number of bytes"),
                    new Case(Arrays.copyOf(body, body.length - 3), Map.of(HEADER, length), 400,
                            "inputs[0].parameters.binary_data_size", "truncated"),
                    new Case(concat(body, new byte[]{9, 9}), Map.of(HEADER, length), 400, HEADER,
                            "2 bytes after the JSON header belong to no input"),
                    new Case(concat(request(List.of(new Part("input", "FP32", new long[]{2, 4}, four.array())),
                            "")), Map.of(HEADER, length), 400, "inputs[0].parameters.binary_data_size",
                            "does not match shape [2, 4] of FP32 (32 bytes)"),
                    new Case(concat(good[0], good[1]), Map.of(HEADER, Integer.toString(good[0].length - 5)), 400,
                            null, "malformed JSON"),
                    new Case(replace(body, "\"binary_data_size\":16", "\"binary_data_size\":-16"), Map.of(HEADER,
                            Integer.toString(good[0].length + 1)), 400, "inputs[0].parameters.binary_data_size",
                            "non-negative integer"),
                    new Case(body, octets, 415, "Content-Type", "application/json"));
            for (Case c : cases) {
                Map<String, String> headers = new LinkedHashMap<>(c.headers());
                headers.putIfAbsent("Content-Type", "application/octet-stream");
                Answer answer = post(server, c.body(), headers);
                assertThat(answer.status()).as(c.message()).isEqualTo(c.status());
                assertThat(answer.json().get("error").asText()).as(c.message()).contains(c.message());
                if (c.field() != null) {
                    assertThat(answer.json().get("field").asText()).as(c.message()).isEqualTo(c.field());
                }
            }
            String both = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[1,2,3,4],"
                    + "\"parameters\":{\"binary_data_size\":16}}]}";
            Answer twice = post(server, concat(both.getBytes(StandardCharsets.UTF_8), four.array()), Map.of(HEADER,
                    Integer.toString(both.length())));
            assertThat(twice.status()).isEqualTo(400);
            assertThat(twice.json().get("error").asText()).contains("both data and parameters.binary_data_size");

            Answer ok = post(server, good);
            assertThat(ok.status()).isEqualTo(200);
            double[] expected = mlp.predict(row);
            for (int k = 0; k < 3; k++) {
                assertThat(ok.json().at("/outputs/0/data/" + k).asDouble()).isCloseTo(expected[k], within(1e-5));
            }
            assertThat(InferenceServerTest.sample(server.metrics(), "modelops_inference_requests_total",
                    "outcome=\"client_error\"")).isEqualTo(cases.size() + 1);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] replace(byte[] body, String from, String to) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        return text.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
    }
}
