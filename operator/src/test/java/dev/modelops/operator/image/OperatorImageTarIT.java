package dev.modelops.operator.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The operator image Jib wrote as a tar (profile image-tar): its configuration says what Kubernetes will run, its
 * layers hold the JRE and the Quarkus application where the entrypoint expects them.
 */
class OperatorImageTarIT {

    private static final Path TAR = Path.of("target/jib-image.tar");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode config;
    /** The JRE's release file: which modules jlink put in. */
    private static String release = "";
    /** Every file of every layer, with its mode. */
    private static final Map<String, Integer> FILES = new HashMap<>();

    @BeforeAll
    static void readImage() throws IOException {
        Map<String, byte[]> outer = new HashMap<>();
        Map<String, Path> layers = new HashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(TAR))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.getName().endsWith(".tar.gz")) {
                    Path layer = Files.createTempFile("layer-", ".tar.gz");
                    Files.copy(tar, layer, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    layers.put(e.getName(), layer);
                } else {
                    outer.put(e.getName(), tar.readAllBytes());
                }
            }
        }
        JsonNode manifest = JSON.readTree(outer.get("manifest.json")).get(0);
        config = JSON.readTree(outer.get(manifest.get("Config").asText())).get("config");
        for (JsonNode name : manifest.get("Layers")) {
            Path layer = layers.get(name.asText());
            try (InputStream in = new GZIPInputStream(Files.newInputStream(layer));
                    TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
                for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                    String file = e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
                    FILES.put(file, e.getMode());
                    if (file.equals("opt/java/release")) {
                        release = new String(tar.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    }
                }
            }
            Files.delete(layer);
        }
    }

    @Test
    void itRunsTheQuarkusApplicationWithTheImagesJava() {
        List<String> entrypoint = JSON.convertValue(config.get("Entrypoint"), List.class);
        assertThat(entrypoint.get(0)).isEqualTo("/opt/java/bin/java");
        assertThat(entrypoint).containsSubsequence("-jar", "/deployments/quarkus-run.jar")
                .contains("-Djava.io.tmpdir=/tmp");
        assertThat(config.path("Cmd").isNull() || config.path("Cmd").isMissingNode() || config.path("Cmd")
                .isEmpty()).as("no arguments: the operator takes its settings from the environment").isTrue();
        assertThat(config.get("WorkingDir").asText()).isEqualTo("/deployments");
    }

    @Test
    void itRunsAsANumericNonRootUser() {
        String[] user = config.get("User").asText().split(":");
        assertThat(user).hasSize(2);
        assertThat(Integer.parseInt(user[0])).as("uid").isPositive();
        assertThat(Integer.parseInt(user[1])).as("gid").isPositive();
        assertThat(user[0]).isEqualTo("65532");
    }

    @Test
    void itExposesTheHealthAndMetricsPort() {
        assertThat(config.get("ExposedPorts").has("8081/tcp")).as("health and metrics (management interface)")
                .isTrue();
        assertThat(config.get("ExposedPorts").has("8080/tcp")).isTrue();
    }

    @Test
    void theApplicationIsInTheFastJarLayoutAndReadableByItsUser() {
        assertThat(FILES).containsKeys("deployments/quarkus-run.jar", "deployments/quarkus/quarkus-application.dat");
        assertThat(FILES.keySet()).anyMatch(f -> f.matches("deployments/app/modelops-operator-.*\\.jar"));
        assertThat(FILES.keySet()).anyMatch(f -> f.matches(
                "deployments/lib/main/io\\.quarkiverse\\.operatorsdk\\.quarkus-operator-sdk-[0-9.]+\\.jar"));
        assertThat(FILES.keySet()).anyMatch(f -> f.matches("deployments/lib/main/dev\\.modelops\\.modelops-crds-.*"));
        assertThat(FILES.keySet()).anyMatch(f -> f.startsWith("deployments/lib/boot/"));
        assertThat(FILES.keySet()).as("Jib's own class-path copy is filtered out").noneMatch(f -> f.startsWith(
                "app/"));
        assertThat(FILES.entrySet().stream().filter(e -> e.getKey().startsWith("deployments/") && !e.getKey()
                .endsWith("/"))).allSatisfy(e -> assertThat(e.getValue() & 0004).as(e.getKey()).isNotZero());
    }

    @Test
    void theJreAndItsLibrariesAreThere() throws IOException {
        // Without the zip file system Quarkus cannot open its own jars and exits at once, silently.
        assertThat(release).containsPattern("MODULES=\"[^\"]*\\bjdk\\.zipfs\\b");
        assertThat(FILES.get("opt/java/bin/java") & 0111).isNotZero();
        assertThat(FILES.get("lib64/ld-linux-x86-64.so.2") & 0111).isNotZero();
        assertThat(FILES).containsKeys("etc/passwd", "etc/ssl/certs/ca-certificates.crt", "tmp/");
        assertThat(FILES.keySet()).anyMatch(f -> f.matches("usr/lib/x86_64-linux-gnu/libstdc\\+\\+\\.so\\.6.*"));
    }
}
