package dev.modelops.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

/** The trainer as the operator runs it: a separate process, configured by environment, reporting by file. */
class IrisTrainerProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int exitCode, String terminationMessage, String output) {
    }

    private Run run(Map<String, String> env) throws IOException, InterruptedException {
        Path log = dir.resolve("termination-log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                IrisTrainer.class.getName());
        builder.environment().putAll(env);
        builder.environment().put("MODELOPS_TERMINATION_LOG", log.toString());
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), Files.exists(log) ? Files.readString(log) : null, output);
    }

    @Test
    void trainsExportsAndReportsTheAccuracyOfTheExportedModel() throws Exception {
        Path claim = dir.resolve("claim-models");
        Map<String, String> env = new HashMap<>();
        env.put("MODELOPS_TRAINING", "iris-cpu");
        env.put("MODELOPS_OUTPUT_URI", "pvc://models/iris");
        env.put("MODELOPS_OUTPUT_DIR", claim.resolve("iris").toString());
        env.put("MODELOPS_HYPERPARAMETERS", "{\"hidden\":\"16\",\"epochs\":\"300\",\"seed\":\"42\"}");
        Run run = run(env);
        assertThat(run.exitCode()).as(run.output()).isZero();

        JsonNode result = JSON.readTree(run.terminationMessage());
        assertThat(run.terminationMessage().length()).isLessThan(4096);
        assertThat(result.at("/artifact/uri").asText()).isEqualTo("pvc://models/iris/iris-cpu/model.onnx");
        Path model = claim.resolve("iris/iris-cpu/model.onnx");
        byte[] bytes = Files.readAllBytes(model);
        assertThat(result.at("/artifact/sha256").asText()).isEqualTo(IrisTrainer.sha256(bytes));
        assertThat(result.at("/metrics/trainRows").asInt()).isEqualTo(120);
        assertThat(result.at("/metrics/testRows").asInt()).isEqualTo(30);

        // Independently: load the file with ONNX Runtime and score the same held-out rows.
        IrisData data = IrisData.load();
        int[] test = StratifiedSplit.of(data.labels(), 3, 0.2, 42).test();
        OrtEnvironment ort = OrtEnvironment.getEnvironment();
        float[][] batch = new float[test.length][4];
        for (int i = 0; i < test.length; i++) {
            for (int f = 0; f < 4; f++) {
                batch[i][f] = (float) data.features()[test[i]][f];
            }
        }
        int correct = 0;
        try (OrtSession session = ort.createSession(model.toString(), new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(ort, batch);
                OrtSession.Result out = session.run(Map.of("input", input))) {
            assertThat(session.getInputInfo().get("input").getInfo().toString()).contains("shape=[-1, 4]");
            float[][] p = (float[][]) out.get(0).getValue();
            for (int i = 0; i < test.length; i++) {
                int best = 0;
                for (int k = 1; k < 3; k++) {
                    if (p[i][k] > p[i][best]) {
                        best = k;
                    }
                }
                assertThat(p[i][0] + p[i][1] + p[i][2]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
                correct += best == data.labels()[test[i]] ? 1 : 0;
            }
        }
        double accuracy = correct / (double) test.length;
        assertThat(result.at("/metrics/accuracy").asDouble()).isEqualTo(accuracy);
        assertThat(accuracy).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void putsTheModelOverHttp() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicReference<String> path = new AtomicReference<>();
        AtomicReference<byte[]> body = new AtomicReference<>();
        server.createContext("/", exchange -> {
            path.set(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            body.set(exchange.getRequestBody().readAllBytes());
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/models/iris";
            Run run = run(Map.of("MODELOPS_TRAINING", "t1", "MODELOPS_OUTPUT_URI", base,
                    "MODELOPS_HYPERPARAMETERS", "{\"epochs\":\"50\"}"));
            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(path.get()).isEqualTo("PUT /models/iris/t1/model.onnx");
            JsonNode result = JSON.readTree(run.terminationMessage());
            assertThat(result.at("/artifact/uri").asText()).isEqualTo(base + "/t1/model.onnx");
            assertThat(result.at("/artifact/sha256").asText()).isEqualTo(IrisTrainer.sha256(body.get()));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnsupportedOutputFailsWithAReason() throws Exception {
        Run run = run(Map.of("MODELOPS_OUTPUT_URI", "s3://bucket/iris"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.terminationMessage()).contains("s3://bucket/iris").contains("pvc:// or http(s)://");
    }

    @Test
    void workersOtherThanRankZeroDoNothing() throws Exception {
        Run run = run(Map.of("RANK", "2", "MODELOPS_OUTPUT_URI", "pvc://models/iris", "MODELOPS_OUTPUT_DIR",
                dir.resolve("out").toString()));
        assertThat(run.exitCode()).isZero();
        assertThat(run.terminationMessage()).isNull();
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
