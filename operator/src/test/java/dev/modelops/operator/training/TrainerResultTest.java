package dev.modelops.operator.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainerResultTest {

    static final String SHA = "a".repeat(64);

    @Test
    void parsesArtifactAndMetrics() throws Exception {
        TrainerResult result = TrainerResult.parse("{\"artifact\":{\"uri\":\"pvc://models/iris/t/model.onnx\","
                + "\"sha256\":\"" + SHA + "\"},\"metrics\":{\"accuracy\":0.9667,\"testRows\":30}}");
        assertThat(result.artifactUri()).isEqualTo("pvc://models/iris/t/model.onnx");
        assertThat(result.sha256()).isEqualTo(SHA);
        assertThat(result.metrics()).containsEntry("accuracy", 0.9667).containsEntry("testRows", 30.0);
    }

    @Test
    void missingMessage() {
        assertThatThrownBy(() -> TrainerResult.parse("  ")).isInstanceOf(TrainerResult.InvalidResultException.class)
                .hasMessageContaining("wrote no termination message")
                .satisfies(e -> assertThat(((TrainerResult.InvalidResultException) e).reason())
                        .isEqualTo("MissingResult"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "epoch 3 loss 0.2|the termination message is not JSON",
            "[1,2]|must be a JSON object",
            "{\"metrics\":{}}|artifact.uri must be a pvc://, s3:// or http(s):// location",
            "{\"artifact\":{\"uri\":\"ftp://x/y\"}}|artifact.uri must be",
            "{\"artifact\":{\"uri\":\"s3://bucket/key\",\"sha256\":\"XYZ\"}}|artifact.sha256 must be 64 lower-case hex",
            "{\"artifact\":{\"uri\":\"s3://bucket/key\"},\"metrics\":{\"accuracy\":\"high\"}}|metric accuracy must be a number",
            "{\"artifact\":{\"uri\":\"s3://bucket/key\"},\"metrics\":[1]}|metrics must be an object"})
    void malformedMessagesSayWhatIsWrong(String message, String expected) {
        assertThatThrownBy(() -> TrainerResult.parse(message))
                .isInstanceOf(TrainerResult.InvalidResultException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(((TrainerResult.InvalidResultException) e).reason())
                        .isEqualTo("InvalidResult"));
    }
}
