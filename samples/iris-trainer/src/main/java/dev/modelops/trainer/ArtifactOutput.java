package dev.modelops.trainer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * Puts the model where spec.output points: under the mounted claim for {@code pvc://}, or by HTTP PUT for
 * {@code http(s)://}. Returns the location to report, in the same scheme as the output URI.
 */
final class ArtifactOutput {

    static final String FILE_NAME = "model.onnx";

    private ArtifactOutput() {
    }

    static String write(String outputUri, String outputDir, String training, byte[] model)
            throws IOException, InterruptedException {
        String base = outputUri.replaceAll("/+$", "");
        String reported = base + "/" + training + "/" + FILE_NAME;
        if (base.startsWith("pvc://")) {
            if (outputDir == null || outputDir.isBlank()) {
                throw new IOException(
                        "MODELOPS_OUTPUT_DIR is not set: the operator mounts pvc:// outputs and says where");
            }
            Path target = Path.of(outputDir, training, FILE_NAME);
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "." + FILE_NAME, ".part");
            Files.write(temp, model);
            // Temp files are created owner-only; the inference and validation pods may run as another user.
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            // Readers never see a half-written model.
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return reported;
        }
        if (base.startsWith("http://") || base.startsWith("https://")) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpRequest put = HttpRequest.newBuilder(URI.create(reported)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(model)).build();
            HttpResponse<String> response = client.send(put, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IOException("PUT " + reported + " answered " + response.statusCode());
            }
            return reported;
        }
        throw new IOException("this trainer writes to pvc:// or http(s):// outputs, not " + outputUri
                + " (an s3:// output needs a trainer with an S3 client)");
    }
}
