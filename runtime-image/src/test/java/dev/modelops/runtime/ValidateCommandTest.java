package dev.modelops.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The validate command as the validation Job runs it: a process, reporting on stdout and in the termination file. */
class ValidateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Result(int exitCode, JsonNode stdout, JsonNode terminationMessage) {
    }

    private Result validate(String... args) throws IOException, InterruptedException {
        return validate(Map.of(), args);
    }

    private Result validate(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path log = dir.resolve("termination-log-" + System.nanoTime());
        List<String> command = ChildJvm.command(dir, RuntimeMain.class);
        command.add("validate");
        command.addAll(List.of(args));
        command.addAll(List.of("--termination-log", log.toString(), "--work-dir",
                Files.createTempDirectory(dir, "work").toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("MODELOPS_FETCH_ATTEMPTS", "1");
        builder.environment().putAll(env);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), JSON.readTree(out), JSON.readTree(Files.readString(log)));
    }

    @Test
    void aGoodModelReportsItsSignatureAndTimings() throws Exception {
        Path model = Models.irisModel(dir.resolve("trained"));
        String sha = Models.sha256(Files.readAllBytes(model));
        Result result = validate("--uri", model.toString(), "--sha256", sha);
        assertThat(result.exitCode()).isZero();
        assertThat(result.terminationMessage()).isEqualTo(result.stdout());
        JsonNode report = result.stdout();
        assertThat(report.get("ok").asBoolean()).isTrue();
        assertThat(report.get("sha256").asText()).isEqualTo(sha);
        assertThat(report.get("sha256Verified").asBoolean()).isTrue();
        assertThat(report.get("sizeBytes").asLong()).isEqualTo(Files.size(model));
        assertThat(report.get("loadMillis").isIntegralNumber()).isTrue();
        assertThat(report.get("warmupMillis").isIntegralNumber()).isTrue();
        JsonNode input = report.at("/signature/inputs/0");
        assertThat(input.get("name").asText()).isEqualTo("input");
        assertThat(input.get("datatype").asText()).isEqualTo("FP32");
        assertThat(input.get("shape").toString()).isEqualTo("[-1,4]");
        JsonNode output = report.at("/signature/outputs/0");
        assertThat(output.get("name").asText()).isEqualTo("probabilities");
        assertThat(output.get("shape").toString()).isEqualTo("[-1,3]");
    }

    @Test
    void aCorruptFileIsAnInvalidModel() throws Exception {
        Path corrupt = dir.resolve("corrupt.onnx");
        Files.write(corrupt, "this is not a protobuf at all, just text pretending to be a model".getBytes());
        Result result = validate("--uri", corrupt.toString());
        assertThat(result.exitCode()).isEqualTo(13);
        assertThat(result.stdout().get("ok").asBoolean()).isFalse();
        assertThat(result.stdout().get("reason").asText()).isEqualTo("InvalidModel");
        assertThat(result.terminationMessage()).isEqualTo(result.stdout());
    }

    @Test
    void aDigestMismatchIsReportedAsSuch() throws Exception {
        Path model = Models.irisModel(dir.resolve("trained"));
        Result result = validate("--uri", model.toString(), "--sha256", "a".repeat(64));
        assertThat(result.exitCode()).isEqualTo(12);
        assertThat(result.stdout().get("reason").asText()).isEqualTo("ChecksumMismatch");
        assertThat(result.stdout().get("message").asText()).contains("expected " + "a".repeat(64));
    }

    @Test
    void aMissingArtifactIsNotFound() throws Exception {
        Result result = validate("--uri", dir.resolve("nowhere.onnx").toString());
        assertThat(result.exitCode()).isEqualTo(10);
        assertThat(result.stdout().get("reason").asText()).isEqualTo("ArtifactNotFound");
    }

    @Test
    void aModelWhoseZeroWarmUpFailsIsValidWithTheErrorReported() throws Exception {
        Path model = Files.write(dir.resolve("div.onnx"), Models.divisionModel());
        Result result = validate("--uri", model.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.terminationMessage()).isEqualTo(result.stdout());
        assertThat(result.stdout().get("ok").asBoolean()).isTrue();
        assertThat(result.stdout().get("warmupError").asText()).contains("zeros", "division by zero");
        assertThat(result.stdout().has("warmupMillis")).isFalse();
        assertThat(result.stdout().at("/signature/inputs/1/name").asText()).isEqualTo("b");
    }

    @Test
    void aSampleInputWarmsUpInsteadOfZeros() throws Exception {
        Path model = Files.write(dir.resolve("div.onnx"), Models.divisionModel());
        Path sample = Files.writeString(dir.resolve("sample.json"), Models.divisionRequest(new int[]{6, 9},
                new int[]{3, 2}));
        Result flag = validate("--uri", model.toString(), "--warmup-input", sample.toString());
        assertThat(flag.exitCode()).isZero();
        assertThat(flag.stdout().has("warmupError")).isFalse();
        assertThat(flag.stdout().get("warmupMillis").isIntegralNumber()).isTrue();
        Result env = validate(Map.of("MODELOPS_WARMUP_INPUT", sample.toString()), "--uri", model.toString());
        assertThat(env.exitCode()).isZero();
        assertThat(env.stdout().has("warmupError")).isFalse();
        // The request itself in the environment, as the operator passes a version's spec.warmupInput.
        Result inline = validate(Map.of("MODELOPS_WARMUP_REQUEST", Files.readString(sample)), "--uri",
                model.toString());
        assertThat(inline.exitCode()).isZero();
        assertThat(inline.stdout().has("warmupError")).as(inline.stdout().toString()).isFalse();
        assertThat(inline.stdout().get("warmupMillis").isIntegralNumber()).isTrue();
        Result badInline = validate(Map.of("MODELOPS_WARMUP_REQUEST", "{\"inputs\": 3}"), "--uri",
                model.toString());
        assertThat(badInline.stdout().get("reason").asText()).isEqualTo("WarmupFailed");
    }

    @Test
    void aSampleInputThatDoesNotFitTheModelFailsTheWarmUp() throws Exception {
        Path model = Files.write(dir.resolve("div.onnx"), Models.divisionModel());
        Path sample = Files.writeString(dir.resolve("sample.json"), Models.divisionRequest(new int[]{6, 9},
                new int[]{3, 2}).replace("\"b\"", "\"c\""));
        Result result = validate("--uri", model.toString(), "--warmup-input", sample.toString());
        assertThat(result.exitCode()).isEqualTo(15);
        assertThat(result.stdout().get("reason").asText()).isEqualTo("WarmupFailed");
        assertThat(result.stdout().get("message").asText()).contains("does not fit the model", "no input 'c'");
    }

    @Test
    void aMissingFlagValueIsAUsageError() throws Exception {
        assertThat(RuntimeMain.run(new String[]{"fetch", "--uri", "x"}, Map.of())).isEqualTo(2);
        assertThat(RuntimeMain.run(new String[]{"validate"}, Map.of())).isEqualTo(2);
        assertThat(RuntimeMain.run(new String[]{"serve", "--no-such-flag", "1"}, Map.of())).isEqualTo(2);
        assertThat(RuntimeMain.run(new String[]{"serve", "--max-batch-size", "zero"}, Map.of())).isEqualTo(2);
        assertThat(RuntimeMain.run(new String[]{}, Map.of())).isEqualTo(2);
    }
}
