package dev.modelops.trainer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The out-of-the-box trainer: trains an MLP on the bundled Iris data, exports it as ONNX, writes it to the output
 * location, measures held-out accuracy by running the exported file in ONNX Runtime, and reports artifact and
 * metrics as JSON in its termination message, as the ModelOps trainer contract asks.
 */
public final class IrisTrainer {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Hyperparameters with their defaults. */
    record Settings(int hidden, int epochs, double learningRate, long seed, double testFraction) {
        static Settings of(Map<String, String> hp) {
            return new Settings(Integer.parseInt(hp.getOrDefault("hidden", "16")),
                    Integer.parseInt(hp.getOrDefault("epochs", "300")),
                    Double.parseDouble(hp.getOrDefault("learningRate", "0.05")),
                    Long.parseLong(hp.getOrDefault("seed", "42")),
                    Double.parseDouble(hp.getOrDefault("testFraction", "0.2")));
        }
    }

    private IrisTrainer() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        Path terminationLog = Path.of(env.getOrDefault("MODELOPS_TERMINATION_LOG", "/dev/termination-log"));
        String rank = env.get("RANK");
        if (rank != null && !rank.equals("0")) {
            System.out.println("rank " + rank + ": the Iris trainer runs on rank 0 only");
            return;
        }
        try {
            String result = run(env);
            Files.writeString(terminationLog, result, StandardCharsets.UTF_8);
            System.out.println(result);
        } catch (Exception e) {
            String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
            System.err.println("training failed: " + reason);
            try {
                Files.writeString(terminationLog, reason.length() > 1000 ? reason.substring(0, 1000) : reason,
                        StandardCharsets.UTF_8);
            } catch (IOException ignored) {
                // Nothing more to report with: the exit code and stderr still say it failed.
            }
            System.exit(1);
        }
    }

    /** Trains, exports and writes the model; returns the termination-message JSON. */
    public static String run(Map<String, String> env) throws Exception {
        String outputUri = required(env, "MODELOPS_OUTPUT_URI");
        String training = env.getOrDefault("MODELOPS_TRAINING", "iris");
        Map<String, String> hp = JSON.readValue(env.getOrDefault("MODELOPS_HYPERPARAMETERS", "{}"),
                new TypeReference<Map<String, String>>() {
                });
        Settings settings = Settings.of(hp);

        long started = System.nanoTime();
        IrisData data = IrisData.load();
        StratifiedSplit split = StratifiedSplit.of(data.labels(), IrisData.SPECIES.size(), settings.testFraction(),
                settings.seed());
        Mlp mlp = new Mlp(IrisData.FEATURES, settings.hidden(), IrisData.SPECIES.size(), settings.seed());
        double loss = mlp.train(data.features(), data.labels(), split.train(), settings.epochs(),
                settings.learningRate());
        byte[] model = OnnxExport.export(mlp, "0.1.0");
        double accuracy = onnxAccuracy(model, data, split.test());
        String artifact = ArtifactOutput.write(outputUri, env.get("MODELOPS_OUTPUT_DIR"), training, model);

        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", accuracy);
        metrics.put("loss", loss);
        metrics.put("trainRows", split.train().length);
        metrics.put("testRows", split.test().length);
        metrics.put("trainSeconds", (System.nanoTime() - started) / 1e9);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("artifact", Map.of("uri", artifact, "sha256", sha256(model)));
        result.put("metrics", metrics);
        // The output's class names by index: the inference server labels its prediction metrics with them.
        result.put("classLabels", IrisData.SPECIES);
        return JSON.writeValueAsString(result);
    }

    /** Held-out accuracy of the exported model itself, run by ONNX Runtime. */
    static double onnxAccuracy(byte[] model, IrisData data, int[] rows) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[][] batch = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            batch[i] = new float[IrisData.FEATURES];
            for (int f = 0; f < IrisData.FEATURES; f++) {
                batch[i][f] = (float) data.features()[rows[i]][f];
            }
        }
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions());
                OnnxTensor input = OnnxTensor.createTensor(env, batch);
                OrtSession.Result out = session.run(Map.of(OnnxExport.INPUT, input))) {
            float[][] probabilities = (float[][]) out.get(0).getValue();
            int correct = 0;
            for (int i = 0; i < rows.length; i++) {
                double[] p = new double[probabilities[i].length];
                for (int k = 0; k < p.length; k++) {
                    p[k] = probabilities[i][k];
                }
                if (Mlp.argmax(p) == data.labels()[rows[i]]) {
                    correct++;
                }
            }
            return (double) correct / rows.length;
        }
    }

    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set; the operator sets it from spec.output.uri");
        }
        return value;
    }
}
