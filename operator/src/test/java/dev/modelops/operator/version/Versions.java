package dev.modelops.operator.version;

import dev.modelops.api.common.Artifact;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.ModelVersionSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** ModelVersion objects for tests. */
public final class Versions {

    public static final String SHA = "d".repeat(64);

    private Versions() {
    }

    public static ModelVersion version(String model, int number) {
        Artifact artifact = new Artifact();
        artifact.setUri("pvc://models/" + model + "/v" + number + "/model.onnx");
        artifact.setSha256(SHA);
        ModelVersionSpec spec = new ModelVersionSpec();
        spec.setModel(model);
        spec.setVersion(number);
        spec.setArtifact(artifact);
        ModelVersion version = new ModelVersion();
        version.setMetadata(new ObjectMetaBuilder().withName(model + "-v" + number).withNamespace("default")
                .withUid("uid-" + model + number).withGeneration(1L).build());
        version.setSpec(spec);
        return version;
    }

    public static String okReport() {
        return "{\"ok\":true,\"sha256\":\"" + SHA + "\",\"sha256Verified\":true,\"sizeBytes\":840,"
                + "\"loadMillis\":12,\"warmupMillis\":3,\"signature\":{\"inputs\":[{\"name\":\"input\","
                + "\"datatype\":\"FP32\",\"shape\":[-1,4]}],\"outputs\":[{\"name\":\"probabilities\","
                + "\"datatype\":\"FP32\",\"shape\":[-1,3]}]}}";
    }

    public static String failure(String reason, String message) {
        return "{\"ok\":false,\"reason\":\"" + reason + "\",\"message\":\"" + message + "\"}";
    }
}
