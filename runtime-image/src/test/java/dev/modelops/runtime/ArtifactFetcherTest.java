package dev.modelops.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import dev.modelops.runtime.fetch.ArtifactFetcher;
import dev.modelops.contract.FailureReason;
import dev.modelops.runtime.fetch.FetchException;

class ArtifactFetcherTest {

    static final byte[] CONTENT = "not really a model, but bytes with a digest".getBytes();
    static final String SHA = Models.sha256(CONTENT);

    @TempDir
    Path dir;

    HttpServer http;
    AtomicInteger requests = new AtomicInteger();

    private ArtifactFetcher fetcher(String s3Endpoint) {
        return new ArtifactFetcher(new ArtifactFetcher.Settings(dir.resolve("pvc"), 4, Duration.ofMillis(20),
                s3Endpoint, "us-east-1", null));
    }

    @BeforeEach
    void startHttp() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // Fails twice, then answers.
        http.createContext("/flaky/model.onnx", exchange -> {
            int n = requests.incrementAndGet();
            if (n <= 2) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                exchange.sendResponseHeaders(200, CONTENT.length);
                exchange.getResponseBody().write(CONTENT);
            }
            exchange.close();
        });
        http.createContext("/down/model.onnx", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(502, -1);
            exchange.close();
        });
        http.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        http.start();
    }

    @AfterEach
    void stopHttp() {
        http.stop(0);
    }

    private String httpUrl(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    @Test
    void copiesFromAClaimAtomicallyAndVerifiesTheDigest() throws Exception {
        Path source = dir.resolve("pvc/models/iris/v1/model.onnx");
        Files.createDirectories(source.getParent());
        Files.write(source, CONTENT);
        Path target = dir.resolve("out/model.onnx");

        ArtifactFetcher.Fetched fetched = fetcher(null).fetch("pvc://models/iris/v1/model.onnx", SHA, target);
        assertThat(fetched.sha256()).isEqualTo(SHA);
        assertThat(fetched.sha256Verified()).isTrue();
        assertThat(fetched.sizeBytes()).isEqualTo(CONTENT.length);
        assertThat(Files.readAllBytes(target)).isEqualTo(CONTENT);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
        assertThat(Files.list(target.getParent())).as("no temporary file left").containsExactly(target);
    }

    @Test
    void aDigestMismatchIsRefusedAndLeavesNoFile() throws Exception {
        Path source = dir.resolve("model.onnx");
        Files.write(source, CONTENT);
        Path target = dir.resolve("out/model.onnx");
        assertThatThrownBy(() -> fetcher(null).fetch(source.toString(), "0".repeat(64), target))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.ChecksumMismatch))
                .hasMessageContaining(SHA);
        assertThat(target).doesNotExist();
        assertThat(Files.list(target.getParent())).isEmpty();
    }

    @Test
    void aDigestMismatchOverHttpIsRefused() {
        Path target = dir.resolve("http/model.onnx");
        assertThatThrownBy(() -> fetcher(null).fetch(httpUrl("/flaky/model.onnx"), "1".repeat(64), target))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.ChecksumMismatch));
        assertThat(target).doesNotExist();
    }

    @Test
    void aLongFailureMessageIsShortenedToATerminationMessageThatStillParses() throws Exception {
        String json = RuntimeMain.fitted(java.util.Map.of("ok", false, "reason", "LoadFailed", "message", "x"
                .repeat(10_000)));
        assertThat(json.length()).isLessThanOrEqualTo(4096);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("reason").asText())
                .isEqualTo("LoadFailed");
    }

    @Test
    void aMissingFileIsNotFound() {
        assertThatThrownBy(() -> fetcher(null).fetch("pvc://models/nothing.onnx", null, dir.resolve("m.onnx")))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.ArtifactNotFound));
    }

    @Test
    void anHttpServerThatFailsTwiceIsRetried() throws Exception {
        Path target = dir.resolve("model.onnx");
        ArtifactFetcher.Fetched fetched = fetcher(null).fetch(httpUrl("/flaky/model.onnx"), SHA, target);
        assertThat(requests.get()).isEqualTo(3);
        assertThat(fetched.sha256Verified()).isTrue();
        assertThat(Files.readAllBytes(target)).isEqualTo(CONTENT);
    }

    @Test
    void anHttpServerThatStaysDownIsUnreachableAfterBoundedAttempts() {
        assertThatThrownBy(() -> fetcher(null).fetch(httpUrl("/down/model.onnx"), null, dir.resolve("m.onnx")))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.ArtifactUnreachable))
                .hasMessageContaining("after 4 attempts");
        assertThat(requests.get()).isEqualTo(4);
    }

    @Test
    void httpNotFoundIsNotRetried() {
        assertThatThrownBy(() -> fetcher(null).fetch(httpUrl("/missing.onnx"), null, dir.resolve("m.onnx")))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(FailureReason.ArtifactNotFound))
                .hasMessageContaining("404");
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void fetchesFromAnS3CompatibleStoreWithCredentials() throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient").credentials("id", "secret")
                .build(BlobStoreContext.class);
        S3Proxy s3 = S3Proxy.builder().blobStore(context.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "modelops-key", "modelops-secret")
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        s3.start();
        String oldKey = System.getProperty("aws.accessKeyId");
        String oldSecret = System.getProperty("aws.secretAccessKey");
        try {
            while (!"STARTED".equals(s3.getState())) {
                Thread.sleep(10);
            }
            BlobStore store = context.getBlobStore();
            store.createContainerInLocation(null, "models");
            store.putBlob("models", store.blobBuilder("iris/v1/model.onnx").payload(CONTENT).build());
            System.setProperty("aws.accessKeyId", "modelops-key");
            System.setProperty("aws.secretAccessKey", "modelops-secret");
            String endpoint = "http://127.0.0.1:" + s3.getPort();

            Path target = dir.resolve("model.onnx");
            ArtifactFetcher.Fetched fetched = fetcher(endpoint).fetch("s3://models/iris/v1/model.onnx", SHA, target);
            assertThat(fetched.sha256Verified()).isTrue();
            assertThat(Files.readAllBytes(target)).isEqualTo(CONTENT);

            assertThatThrownBy(() -> fetcher(endpoint).fetch("s3://models/iris/v9/model.onnx", null,
                    dir.resolve("none.onnx")))
                    .isInstanceOfSatisfying(FetchException.class,
                            e -> assertThat(e.reason()).isEqualTo(FailureReason.ArtifactNotFound))
                    .hasMessageContaining("404");
            assertThatThrownBy(() -> fetcher(endpoint).fetch("s3://models/iris/v1/model.onnx", "1".repeat(64),
                    dir.resolve("bad.onnx")))
                    .isInstanceOfSatisfying(FetchException.class,
                            e -> assertThat(e.reason()).isEqualTo(FailureReason.ChecksumMismatch));

            System.setProperty("aws.secretAccessKey", "wrong-secret");
            assertThatThrownBy(() -> fetcher(endpoint).fetch("s3://models/iris/v1/model.onnx", null,
                    dir.resolve("denied.onnx")))
                    .isInstanceOfSatisfying(FetchException.class,
                            e -> assertThat(e.getMessage()).contains("403").doesNotContain("wrong-secret"));
        } finally {
            restore("aws.accessKeyId", oldKey);
            restore("aws.secretAccessKey", oldSecret);
            s3.stop();
            context.close();
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
