package dev.modelops.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The lifecycle end to end on the sandbox, driven as a user drives it: real kubectl against the sandbox's kubeconfig
 * and a real HTTP client; the operator is the built jar, the trainer and the runtime run as pod processes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SandboxEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP/1.1: the mock server does not take the h2c upgrade Java's client offers by default. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(3);

    private Sandbox sandbox;
    private Kubectl kubectl;
    private Path repo;

    @BeforeAll
    void start() throws Exception {
        repo = Path.of(System.getProperty("modelops.repo", "..")).toAbsolutePath().normalize();
        Path workDir = Files.createDirectories(repo.resolve("sandbox/target/e2e-" + System.currentTimeMillis()));
        sandbox = Sandbox.start(new Sandbox.Options(repo, workDir, 0, true));
        kubectl = new Kubectl(sandbox.options().kubeconfig(), workDir);
    }

    @AfterAll
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    @Order(1)
    void kubectlDiscoversTheApiAndTheCrds() {
        String resources = kubectl.run("api-resources").ok().out();
        assertThat(resources).containsPattern("modeltrainings\\s+mt\\s+modelops.dev/v1alpha1\\s+true\\s+ModelTraining")
                .containsPattern("modeldeployments\\s+md\\s+modelops.dev/v1alpha1");
        assertThat(kubectl.run("get", "crd").ok().out()).contains("modelversions.modelops.dev");
        assertThat(kubectl.run("explain", "modeltraining.spec.workers").ok().out()).contains("workers");
    }

    @Test
    @Order(2)
    void anInvalidManifestIsRefusedWithTheCrdsMessage() {
        Kubectl.Result cel = kubectl.apply("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelDeployment
                metadata:
                  name: both
                spec:
                  model: iris
                  version: 1
                  versionPolicy: Latest
                """);
        assertThat(cel.exitCode()).isNotZero();
        assertThat(cel.err()).contains("The ModelDeployment \"both\" is invalid")
                .contains("version and versionPolicy: Latest exclude each other");

        Kubectl.Result schema = kubectl.apply("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelTraining
                metadata:
                  name: no-workers
                spec:
                  model: iris
                  workers: 0
                  trainer:
                    image: ghcr.io/modelops-dev/iris-trainer:0.1.0
                  output:
                    uri: pvc://models/iris
                """);
        assertThat(schema.exitCode()).isNotZero();
        assertThat(schema.err()).contains("is invalid").contains("workers");

        Kubectl.Result unknown = kubectl.apply("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelTraining
                metadata:
                  name: typo
                spec:
                  model: iris
                  wrokers: 2
                  trainer:
                    image: ghcr.io/modelops-dev/iris-trainer:0.1.0
                  output:
                    uri: pvc://models/iris
                """);
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("unknown field \"spec.wrokers\"");
        assertThat(kubectl.run("get", "mt", "-o", "name").ok().out()).doesNotContain("no-workers", "typo");
    }

    @Test
    @Order(3)
    void aTrainingProducesAVersionWithLineageThatValidatesReady() throws Exception {
        kubectl.run("apply", "-f", repo.resolve("samples/training-cpu.yaml").toString()).ok();

        await().atMost(TRAINING_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.jsonpath("mt", "iris-cpu", "{.status.phase}"), p -> p.equals("Succeeded")
                        || p.equals("Failed"));
        assertThat(kubectl.jsonpath("mt", "iris-cpu", "{.status.phase}")).isEqualTo("Succeeded");
        String version = kubectl.jsonpath("mt", "iris-cpu", "{.status.modelVersion}");
        assertThat(version).isEqualTo("iris-v1");

        awaitVerdict(version);
        JsonNode mv = JSON.readTree(kubectl.run("get", "mv", version, "-o", "json").ok().out());
        assertThat(mv.at("/status/phase").asText()).isEqualTo("Ready");
        // Lineage: the training, the trainer image with the digest the kubelet reported, datasets, hyperparameters.
        assertThat(mv.at("/spec/source/training").asText()).isEqualTo("iris-cpu");
        assertThat(mv.at("/spec/source/trainerImage").asText())
                .startsWith("ghcr.io/modelops-dev/iris-trainer@sha256:");
        assertThat(mv.at("/spec/source/hyperparameters/epochs").asText()).isEqualTo("300");
        assertThat(mv.at("/spec/source/datasets/0/name").asText()).isEqualTo("iris");
        assertThat(mv.at("/spec/metrics/accuracy").asDouble()).isGreaterThan(0.8);
        // The artifact is a real file on the claim, and the digest the version records is its digest.
        assertThat(mv.at("/spec/artifact/uri").asText()).isEqualTo("pvc://models/iris/iris-cpu/model.onnx");
        Path model = sandbox.options().pvcRoot().resolve("models/iris/iris-cpu/model.onnx");
        assertThat(mv.at("/spec/artifact/sha256").asText()).isEqualTo(sha256(model));
        assertThat(mv.at("/status/signature/inputs/0/name").asText()).isEqualTo("input");

        // Printer columns through Table responses, and the pods' logs and events.
        assertThat(kubectl.run("get", "mt").ok().out()).containsPattern("NAME\\s+MODEL\\s+PHASE\\s+VERSION\\s+AGE")
                .containsPattern("iris-cpu\\s+iris\\s+Succeeded\\s+iris-v1");
        assertThat(kubectl.run("get", "mv").ok().out()).containsPattern("iris-v1\\s+iris\\s+1\\s+Ready\\s+0.9");
        assertThat(kubectl.run("get", "modelops").ok().out()).contains("modeltraining.modelops.dev/iris-cpu",
                "modelversion.modelops.dev/iris-v1");
        assertThat(kubectl.run("logs", "job/iris-cpu").ok().out()).contains("\"artifact\"");
        assertThat(kubectl.run("get", "jobs").ok().out()).containsPattern("iris-cpu\\s+Complete\\s+1/1");
        String describe = kubectl.run("describe", "pods", "-l", "job-name=iris-cpu").ok().out();
        assertThat(describe).contains("Successfully assigned default/").contains("Started container trainer");
        assertThat(kubectl.run("describe", "job", "iris-cpu").ok().out()).contains("SuccessfulCreate",
                "Job completed");
        // Each pod had its own loopback address.
        String ips = kubectl.run("get", "pods", "-o", "jsonpath={.items[*].status.podIP}").ok().out();
        assertThat(ips.split(" ")).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates()
                .allMatch(ip -> ip.startsWith("127.0."));
    }

    @Test
    @Order(4)
    void aVersionWithAWrongDigestFailsWithChecksumMismatch() {
        kubectl.apply("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelVersion
                metadata:
                  name: iris-v90
                spec:
                  model: iris
                  version: 90
                  artifact:
                    uri: pvc://models/iris/iris-cpu/model.onnx
                    format: onnx
                    sha256: "0000000000000000000000000000000000000000000000000000000000000000"
                """).ok();
        assertThat(awaitVerdict("iris-v90")).isEqualTo("Failed");
        assertThat(readyCondition("iris-v90", "reason")).isEqualTo("ChecksumMismatch");
    }

    @Test
    @Order(4)
    void aFailedVersionIsValidatedAgainWhenAnnotatedAfterTheFix() throws Exception {
        // A model of its own: a Ready version of "iris" would be what later deployments of iris resolve as Latest.
        kubectl.apply("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelVersion
                metadata:
                  name: iris-fix-v1
                spec:
                  model: iris-fix
                  version: 1
                  artifact:
                    uri: pvc://models/iris-fix/uploaded/model.onnx
                    format: onnx
                """).ok();
        assertThat(awaitVerdict("iris-fix-v1")).isEqualTo("Failed");
        assertThat(readyCondition("iris-fix-v1", "reason")).isEqualTo("ArtifactNotFound");
        assertThat(readyCondition("iris-fix-v1", "message")).contains("modelops.dev/revalidate");

        // The fix: the artifact is uploaded where the version says. Nothing happens until the user asks.
        Path uploaded = sandbox.options().pvcRoot().resolve("models/iris-fix/uploaded/model.onnx");
        Files.createDirectories(uploaded.getParent());
        Files.copy(sandbox.options().pvcRoot().resolve("models/iris/iris-cpu/model.onnx"), uploaded);
        kubectl.run("annotate", "mv", "iris-fix-v1", "modelops.dev/revalidate=after-upload").ok();

        await().atMost(TRAINING_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.jsonpath("mv", "iris-fix-v1", "{.status.phase}"), p -> p.equals("Ready"));
        JsonNode mv = JSON.readTree(kubectl.run("get", "mv", "iris-fix-v1", "-o", "json").ok().out());
        assertThat(mv.at("/status/validation/revalidateToken").asText()).isEqualTo("after-upload");
        assertThat(mv.at("/status/validation/sha256").asText()).isEqualTo(sha256(uploaded));
        assertThat(mv.at("/status/signature/inputs/0/name").asText()).isEqualTo("input");
        // The new round ran in a Job of its own; the first round's is cleaned away.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(kubectl.run("get", "jobs", "-o",
                "name").ok().out()).contains("job.batch/iris-fix-v1-validate-r").doesNotContainPattern(
                        "(?m)^job\\.batch/iris-fix-v1-validate-1$"));

        // The same value again is no new request: nothing is validated again. A second annotation in the same
        // command makes sure the operator gets an event to look at (a real API server sends none for a write that
        // changes nothing); had it started a round, the Ready condition would have moved and a Job come back.
        JsonNode before = mv.at("/status");
        String readySince = readyCondition("iris-fix-v1", "lastTransitionTime");
        kubectl.run("annotate", "mv", "iris-fix-v1", "modelops.dev/revalidate=after-upload", "e2e/touched=1",
                "--overwrite").ok();
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonNode now = JSON.readTree(kubectl.run("get", "mv", "iris-fix-v1", "-o", "json").ok().out());
                    assertThat(now.at("/status/phase").asText()).isEqualTo("Ready");
                    assertThat(now.at("/status/validation/attempts")).isEqualTo(before.at("/validation/attempts"));
                    assertThat(now.at("/status/validation/completionTime"))
                            .isEqualTo(before.at("/validation/completionTime"));
                    assertThat(readyCondition("iris-fix-v1", "lastTransitionTime")).isEqualTo(readySince);
                    assertThat(kubectl.run("get", "jobs", "-o", "name").ok().out().lines()
                            .filter(j -> j.startsWith("job.batch/iris-fix-v1-")).toList()).hasSize(1);
                });
    }

    @Test
    @Order(5)
    void aTrainingWhoseTrainerFailsEndsFailedWithThePodsMessage() {
        // The bundled trainer refuses s3:// outputs and says why in its termination message.
        kubectl.apply("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelTraining
                metadata:
                  name: iris-s3
                spec:
                  model: iris-s3
                  trainer:
                    image: ghcr.io/modelops-dev/iris-trainer:0.1.0
                  output:
                    uri: s3://models/iris
                  maxRetries: 1
                """).ok();
        kubectl.apply("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelTraining
                metadata:
                  name: python-trainer
                spec:
                  model: other
                  trainer:
                    image: registry.example.com/ml/pytorch-trainer:2.4
                  output:
                    uri: pvc://models/other
                  maxRetries: 0
                """).ok();

        await().atMost(TRAINING_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.jsonpath("mt", "iris-s3", "{.status.phase}"), "Failed"::equals);
        String message = kubectl.jsonpath("mt", "iris-s3", "{.status.conditions[?(@.type==\"Failed\")].message}");
        assertThat(message).contains("this trainer writes to pvc:// or http(s):// outputs, not s3://models/iris");
        // maxRetries 1: two pods ran, both failed.
        assertThat(kubectl.jsonpath("job", "iris-s3", "{.status.failed}")).isEqualTo("2");
        assertThat(kubectl.jsonpath("job", "iris-s3", "{.status.conditions[?(@.type==\"Failed\")].reason}"))
                .isEqualTo("BackoffLimitExceeded");

        await().atMost(TRAINING_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.jsonpath("mt", "python-trainer", "{.status.phase}"), "Failed"::equals);
        assertThat(kubectl.jsonpath("mt", "python-trainer", "{.status.conditions[?(@.type==\"Failed\")].message}"))
                .contains("registry.example.com/ml/pytorch-trainer:2.4", "is not one this sandbox can run");
    }

    @Test
    @Order(6)
    void deletingATrainingCollectsItsJobAndPods() {
        kubectl.run("delete", "mt", "python-trainer").ok();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> kubectl.run("get", "jobs,pods", "-l", "modelops.dev/training=python-trainer", "-o",
                        "name").out().isBlank());
    }

    @Test
    @Order(7)
    void kubectlScaleGoesThroughTheScaleSubresource() {
        kubectl.apply("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelDeployment
                metadata:
                  name: scaled
                spec:
                  model: iris
                  version: 1
                  replicas: 1
                """).ok();
        kubectl.run("scale", "md", "scaled", "--replicas=3").ok();
        assertThat(kubectl.jsonpath("md", "scaled", "{.spec.replicas}")).isEqualTo("3");
        kubectl.run("delete", "md", "scaled").ok();
    }

    /**
     * The sandbox's own Deployment and Service controllers, under a hand-written Deployment of the runtime image with
     * the fetch init container: traffic through the Service's host port splits across the ready pods, and a rolling
     * update keeps every replica serving. (The operator's own serving is the canary test below.)
     */
    @Test
    @Order(8)
    void aDeploymentOfTheRuntimeServesThroughItsServiceAndRollsWithoutDowntime() throws Exception {
        kubectl.apply(SERVING.formatted("1"));
        await().atMost(TRAINING_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.jsonpath("deploy", "iris-serve", "{.status.readyReplicas}"), "2"::equals);
        assertThat(kubectl.run("get", "deploy", "iris-serve").ok().out())
                .containsPattern("iris-serve\\s+2/2\\s+2\\s+2");
        assertThat(kubectl.jsonpath("deploy", "iris-serve",
                "{.status.conditions[?(@.type==\"Available\")].status}")).isEqualTo("True");

        String hostPorts = kubectl.jsonpath("endpoints", "iris-serve",
                "{.metadata.annotations.sandbox\\.modelops\\.dev/host-ports}");
        assertThat(hostPorts).startsWith("http=127.0.0.1:");
        int port = Integer.parseInt(hostPorts.substring(hostPorts.lastIndexOf(':') + 1));
        String body = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],"
                + "\"data\":[5.1,3.5,1.4,0.2]}]}";
        for (int i = 0; i < 20; i++) {
            String response = post(port, "/v2/models/iris/infer", body);
            assertThat(response).startsWith("HTTP/1.1 200").contains("probabilities");
        }
        // Each pod answered its share: the Service balances per connection over the ready endpoints.
        String[] ips = kubectl.run("get", "pods", "-l", "app=iris-serve", "-o",
                "jsonpath={.items[*].status.podIP}").ok().out().trim().split(" ");
        assertThat(ips).hasSize(2);
        long total = 0;
        for (String ip : ips) {
            long served = successes(ip);
            assertThat(served).as("requests served by " + ip).isGreaterThanOrEqualTo(5);
            total += served;
        }
        assertThat(total).isEqualTo(20);

        // Rolling update with maxUnavailable 0: two replicas stay ready throughout, then the old ones go.
        kubectl.run("patch", "deploy", "iris-serve", "--type=merge", "-p", PATCH_VERSION).ok();
        long deadline = System.nanoTime() + TRAINING_TIMEOUT.toNanos();
        while (true) {
            assertThat(System.nanoTime()).as("rollout finished in time").isLessThan(deadline);
            JsonNode d = JSON.readTree(kubectl.run("get", "deploy", "iris-serve", "-o", "json").ok().out());
            assertThat(d.at("/status/readyReplicas").asInt()).as("ready replicas during the rollout")
                    .isGreaterThanOrEqualTo(2);
            assertThat(post(port, "/v2/models/iris/infer", body)).startsWith("HTTP/1.1 200");
            if (d.at("/status/updatedReplicas").asInt() == 2 && d.at("/status/replicas").asInt() == 2
                    && d.at("/status/observedGeneration").asInt() == d.at("/metadata/generation").asInt()) {
                break;
            }
            Thread.sleep(300);
        }
        assertThat(kubectl.run("get", "rs", "-l", "app=iris-serve", "-o",
                "jsonpath={.items[*].spec.replicas}").ok().out().trim().split(" ")).containsExactlyInAnyOrder("0",
                        "2");
        assertThat(post(port, "/v2/models/iris/versions/2/ready", null)).startsWith("HTTP/1.1 200");
        kubectl.run("delete", "deploy", "iris-serve").ok();
        kubectl.run("delete", "svc", "iris-serve").ok();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.run("get", "pods", "-l", "app=iris-serve", "-o", "name").out().isBlank());
    }

    @Test
    @Order(9)
    void aDeploymentThatCannotStartReportsProgressDeadlineExceeded() {
        kubectl.apply("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: no-image
                spec:
                  replicas: 1
                  progressDeadlineSeconds: 2
                  selector:
                    matchLabels:
                      app: no-image
                  template:
                    metadata:
                      labels:
                        app: no-image
                    spec:
                      containers:
                        - name: main
                          image: registry.example.com/ml/server:1
                """);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> kubectl.jsonpath(
                "deploy", "no-image", "{.status.conditions[?(@.type==\"Progressing\")].reason}"),
                "ProgressDeadlineExceeded"::equals);
        // The pod waits with the reason (no replacement loop), as a node waits on an image it cannot pull.
        assertThat(kubectl.run("get", "pods", "-l", "app=no-image").ok().out()).containsPattern(
                "no-image-\\S+\\s+0/1\\s+ImageNotInSandbox");
        assertThat(kubectl.run("get", "pods", "-l", "app=no-image", "-o", "name").ok().out().lines()).hasSize(1);
        kubectl.run("delete", "deploy", "no-image").ok();
    }

    private static final String PATCH_VERSION = "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":"
            + "\"runtime\",\"image\":\"ghcr.io/modelops-dev/modelops-runtime:0.1.0\",\"args\":[\"serve\"],"
            + "\"env\":[{\"name\":\"MODELOPS_MODEL_NAME\",\"value\":\"iris\"},{\"name\":"
            + "\"MODELOPS_MODEL_VERSION\",\"value\":\"2\"},{\"name\":\"MODELOPS_INTRA_OP_THREADS\",\"value\":\"1\"}],"
            + "\"ports\":[{\"name\":\"http\",\"containerPort\":8080}],\"readinessProbe\":{\"httpGet\":{\"path\":"
            + "\"/v2/health/ready\",\"port\":\"http\"},\"periodSeconds\":2},\"volumeMounts\":[{\"name\":"
            + "\"model\",\"mountPath\":\"/mnt/models\"},{\"name\":\"tmp\",\"mountPath\":\"/tmp\"}]}]}}}}";

    private static final String SERVING = """
            apiVersion: v1
            kind: Service
            metadata:
              name: iris-serve
            spec:
              selector:
                app: iris-serve
              ports:
                - name: http
                  port: 80
                  targetPort: http
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: iris-serve
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app: iris-serve
              strategy:
                type: RollingUpdate
                rollingUpdate:
                  maxSurge: 1
                  maxUnavailable: 0
              template:
                metadata:
                  labels:
                    app: iris-serve
                spec:
                  initContainers:
                    - name: fetch
                      image: ghcr.io/modelops-dev/modelops-runtime:0.1.0
                      args: [fetch, --uri, pvc://models/iris/iris-cpu/model.onnx, --output, /mnt/models/model.onnx]
                      volumeMounts:
                        - {name: model, mountPath: /mnt/models}
                        - {name: pvc-models, mountPath: /mnt/pvc/models}
                        - {name: tmp, mountPath: /tmp}
                  containers:
                    - name: runtime
                      image: ghcr.io/modelops-dev/modelops-runtime:0.1.0
                      args: [serve]
                      env:
                        - {name: MODELOPS_MODEL_NAME, value: iris}
                        - {name: MODELOPS_MODEL_VERSION, value: "%s"}
                        - {name: MODELOPS_INTRA_OP_THREADS, value: "1"}
                      ports:
                        - {name: http, containerPort: 8080}
                      readinessProbe:
                        httpGet: {path: /v2/health/ready, port: http}
                        periodSeconds: 2
                      volumeMounts:
                        - {name: model, mountPath: /mnt/models}
                        - {name: tmp, mountPath: /tmp}
                  volumes:
                    - {name: model, emptyDir: {}}
                    - {name: tmp, emptyDir: {}}
                    - name: pvc-models
                      persistentVolumeClaim: {claimName: models, readOnly: true}
            """;

    /** One request on its own connection, as curl sends it; the raw response. */
    private static String post(int port, String path, String body) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            String request = (body == null ? "GET " : "POST ") + path + " HTTP/1.1\r\nHost: iris-serve\r\n"
                    + "Connection: close\r\n" + (body == null
                            ? ""
                            : "Content-Type: application/json\r\n"
                                    + "Content-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                                    + "\r\n")
                    + "\r\n" + (body == null ? "" : body);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** modelops_inference_requests_total{outcome="success"} scraped from one pod. */
    private static long successes(String podIp) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + podIp + ":8080/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("modelops_inference_requests_total{")
                && l.contains("outcome=\"success\"")).mapToLong(
                        l -> (long) Double.parseDouble(l.substring(
                                l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /**
     * The serving half end to end: the operator serves the newest Iris version behind its Service, a second training
     * is canaried under real traffic, analysed against stable from the pods' own metrics and promoted; then a
     * deliberately diverged training is rolled back on its own, with the evidence on the version; retry and abort
     * through the action annotation.
     */
    @Test
    @Order(9)
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void aGoodVersionIsPromotedThroughCanaryStepsAndABadOneRolledBackOnItsOwn() throws Exception {
        kubectl.apply(LIVE).ok();
        await().atMost(TRAINING_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.jsonpath("md", "iris-live", "{.status.phase}"), "Healthy"::equals);
        assertThat(kubectl.jsonpath("md", "iris-live", "{.status.stable.modelVersion}")).isEqualTo("iris-v1");
        assertThat(kubectl.run("get", "md", "iris-live").ok().out())
                .containsPattern("iris-live\\s+iris\\s+1\\s+Healthy\\s+2");
        String hostPorts = kubectl.jsonpath("endpoints", "iris-live",
                "{.metadata.annotations.sandbox\\.modelops\\.dev/host-ports}");
        int port = Integer.parseInt(hostPorts.replaceAll(".*http=127\\.0\\.0\\.1:(\\d+).*", "$1"));
        assertThat(post(port, "/v2/models/iris/infer", IRIS[0])).startsWith("HTTP/1.1 200").contains("probabilities");

        try (dev.modelops.sandbox.walk.Traffic traffic = new dev.modelops.sandbox.walk.Traffic(port, "iris")) {
            // A second training: the new version is validated, then canaried against iris-v1 and promoted.
            String good = train("iris-retrained", "0.05", "300");
            await().atMost(TRAINING_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> kubectl.jsonpath("md", "iris-live", "{.status.canary.modelVersion}"), good::equals);
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> kubectl.jsonpath("md", "iris-live", "{.status.stable.modelVersion}"), good::equals);
            assertThat(kubectl.jsonpath("md", "iris-live", "{.status.history[-1].outcome}")).isEqualTo("Promoted");
            assertThat(kubectl.run("describe", "md", "iris-live").ok().out()).contains("CanaryStarted",
                    "AnalysisSuccessful", "Promoted");

            // A training whose learning rate diverged (its accuracy 0.33: it predicts one class; at 300 epochs its loss
            // even turns NaN, which the operator refuses as a result). The canary's drift fails the analysis.
            String bad = train("iris-diverged", "1000", "50");
            await().atMost(TRAINING_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                    .until(() -> kubectl.jsonpath("md", "iris-live", "{.status.canary.modelVersion}"), bad::equals);
            long canaryStarted = System.nanoTime();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.jsonpath("mv", bad, "{.status.rejections[0].reason}"),
                            "AnalysisFailed"::equals);
            double rollbackSeconds = (System.nanoTime() - canaryStarted) / 1e9;
            System.out.printf("E2E canary of %s rolled back %.1f s after it started (analysis interval 5 s)%n", bad,
                    rollbackSeconds);
            String evidence = kubectl.run("get", "mv", bad, "-o", "yaml").ok().out();
            assertThat(evidence).contains("deployment: iris-live", "reason: AnalysisFailed", "metric: drift",
                    "outcome: Failed");
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> kubectl.jsonpath("md", "iris-live", "{.status.phase}"), "Degraded"::equals);
            assertThat(kubectl.jsonpath("md", "iris-live", "{.status.stable.modelVersion}")).isEqualTo(good);
            assertThat(kubectl.jsonpath("md", "iris-live",
                    "{.status.conditions[?(@.type==\"RolledBack\")].message}")).contains("drift");
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> kubectl.run("get", "deploy", "iris-live-canary", "-o", "name").exitCode() != 0);

            // Under Latest the rejected version is not tried again until a person asks: retry, then abort.
            kubectl.run("annotate", "md", "iris-live", "modelops.dev/action=retry").ok();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> kubectl.jsonpath("md", "iris-live", "{.status.canary.modelVersion}"), bad::equals);
            assertThat(kubectl.jsonpath("mv", bad, "{.status.rejections}")).isEmpty();
            kubectl.run("annotate", "md", "iris-live", "modelops.dev/action=abort").ok();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> kubectl.jsonpath("md", "iris-live", "{.status.history[-1].outcome}"),
                            "Aborted"::equals);
            assertThat(traffic.ok()).as("requests answered during the rollouts").isGreaterThan(100);
            assertThat(traffic.failed()).as("requests that failed during the rollouts (of " + traffic.ok() + ")")
                    .isLessThanOrEqualTo(Math.max(2, traffic.ok() / 50));
        }
        kubectl.run("delete", "md", "iris-live").ok();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.run("get", "pods", "-l", "modelops.dev/deployment=iris-live", "-o", "name").out()
                        .isBlank());
    }

    /** Trains the next Iris version with the given learning rate and epochs; returns the version once it is Ready. */
    private String train(String name, String learningRate, String epochs) throws Exception {
        String sample = Files.readString(repo.resolve("samples/training-cpu.yaml"))
                .replace("name: iris-cpu", "name: " + name)
                .replace("learningRate: \"0.05\"", "learningRate: \"" + learningRate + "\"")
                .replace("epochs: \"300\"", "epochs: \"" + epochs + "\"");
        kubectl.apply(sample).ok();
        await().atMost(TRAINING_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.jsonpath("mt", name, "{.status.phase}"), "Succeeded"::equals);
        String version = kubectl.jsonpath("mt", name, "{.status.modelVersion}");
        await().atMost(TRAINING_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.jsonpath("mv", version, "{.status.phase}"), "Ready"::equals);
        return version;
    }

    /** One Iris flower of each species, as inference requests. */
    private static final String[] IRIS = {flower("5.1,3.5,1.4,0.2"), flower("5.9,3.0,4.2,1.5"),
            flower("6.7,3.0,5.2,2.3")};

    private static String flower(String data) {
        return "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[" + data + "]}]}";
    }

    private static final String LIVE = """
            apiVersion: modelops.dev/v1alpha1
            kind: ModelDeployment
            metadata:
              name: iris-live
            spec:
              model: iris
              versionPolicy: Latest
              replicas: 2
              runtime:
                threads:
                  intraOp: 1
              rollout:
                strategy: Canary
                steps:
                  - setWeight: 50
                  - analysis:
                      measurements: 2
                analysis:
                  interval: 5s
                  minRequests: 10
                  failureLimit: 0
                  inconclusiveLimit: 3
                  metrics:
                    - name: error-rate
                      type: ErrorRate
                      max: 0.01
                    - name: drift
                      type: PredictionDrift
                      max: 0.2
            """;

    @Test
    @Order(10)
    void onceSettledTheOperatorSendsNoWrites() throws Exception {
        // Settled: no operator write for 10 s. Then none may come in the next 30 s (resyncs included).
        long[] last = {operatorWrites()};
        long[] since = {System.nanoTime()};
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            long now = operatorWrites();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
            }
            return System.nanoTime() - since[0] > Duration.ofSeconds(10).toNanos();
        });
        long settled = operatorWrites();
        Thread.sleep(Duration.ofSeconds(30).toMillis());
        assertThat(operatorWrites()).as("operator writes after settling").isEqualTo(settled);
        assertThat(sandbox.operator().isAlive()).isTrue();
    }

    /**
     * Faults in the middle of a canary: the operator is killed (SIGKILL, as a crashed pod) while the rollout waits for
     * a promote and again while the analysis runs, and a canary pod is deleted during the analysis. The rollout goes on
     * from what its status records: the promote annotated while no operator ran is honoured, the analysis picks up
     * where it was, the pod is replaced, and the version is promoted exactly once, without a wrong rollback.
     */
    @Test
    @Order(11)
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aCanarySurvivesTheOperatorsDeathAndALostPod() throws Exception {
        List<String> ready = readyIrisVersions();
        assertThat(ready).as("Ready iris versions from the earlier tests: %s", kubectl.run("get", "mv").out())
                .hasSizeGreaterThanOrEqualTo(2);
        String from = ready.get(0);
        String to = ready.get(1);
        kubectl.apply(FAULTS.formatted(number(from))).ok();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.jsonpath("md", "iris-faults", "{.status.phase}"), "Healthy"::equals);
        String hostPorts = kubectl.jsonpath("endpoints", "iris-faults",
                "{.metadata.annotations.sandbox\\.modelops\\.dev/host-ports}");
        int port = Integer.parseInt(hostPorts.replaceAll(".*http=127\\.0\\.0\\.1:(\\d+).*", "$1"));

        try (dev.modelops.sandbox.walk.Traffic traffic = new dev.modelops.sandbox.walk.Traffic(port, "iris")) {
            kubectl.run("patch", "md", "iris-faults", "--type=merge", "-p",
                    "{\"spec\":{\"version\":" + number(to) + "}}").ok();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> kubectl.jsonpath("md", "iris-faults", "{.status.phase}"), "Paused"::equals);
            assertThat(kubectl.jsonpath("md", "iris-faults", "{.status.canary.weight}")).isEqualTo("50");

            // Killed while paused: a new operator finds the rollout where it was, same step and same weights, and
            // the Deployments' replicas untouched (no traffic jump); the promote arrives while no operator runs.
            String pausedStep = kubectl.jsonpath("md", "iris-faults", "{.status.canary.currentStep}");
            String replicas = trackReplicas("iris-faults");
            sandbox.operator().kill();
            kubectl.run("annotate", "md", "iris-faults", "modelops.dev/action=promote").ok();
            sandbox.operator().start();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.jsonpath("md", "iris-faults", "{.status.lastAction.action}"),
                            "promote"::equals);
            assertThat(kubectl.jsonpath("md", "iris-faults", "{.status.history[*].outcome}"))
                    .as("the restart neither restarted nor ended the rollout").doesNotContain("RolledBack", "Aborted");
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> kubectl.jsonpath("md", "iris-faults", "{.status.canary.analysis.count}"),
                            count -> !count.isBlank() && Integer.parseInt(count) >= 1);
            assertThat(Integer.parseInt(kubectl.jsonpath("md", "iris-faults", "{.status.canary.currentStep}")))
                    .as("the promote moved the rollout one step on from where the first operator left it")
                    .isEqualTo(Integer.parseInt(pausedStep) + 1);
            assertThat(trackReplicas("iris-faults")).as("replicas per track across the restart").isEqualTo(replicas);

            // Killed while the analysis runs: a new operator goes on from the recorded measurements at the same step.
            String analysisStep = kubectl.jsonpath("md", "iris-faults", "{.status.canary.currentStep}");
            int countBefore = Integer
                    .parseInt(kubectl.jsonpath("md", "iris-faults", "{.status.canary.analysis.count}"));
            sandbox.operator().kill();
            Thread.sleep(3_000);
            assertThat(trackReplicas("iris-faults")).isEqualTo(replicas);
            sandbox.operator().start();

            // A canary pod lost during the analysis: its ReplicaSet replaces it; the analysis does not fail for it.
            String canaryPod = kubectl.run("get", "pods", "-l",
                    "modelops.dev/deployment=iris-faults,modelops.dev/track=canary", "-o",
                    "jsonpath={.items[0].metadata.name}").ok().out().trim();
            assertThat(canaryPod).isNotEmpty();
            kubectl.run("delete", "pod", canaryPod, "--wait=false").ok();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                String step = kubectl.jsonpath("md", "iris-faults", "{.status.canary.currentStep}");
                String count = kubectl.jsonpath("md", "iris-faults", "{.status.canary.analysis.count}");
                String stable = kubectl.jsonpath("md", "iris-faults", "{.status.stable.modelVersion}");
                assertThat(stable.equals(to) || (step.equals(analysisStep) && !count.isBlank()
                        && Integer.parseInt(count) > countBefore))
                        .as("after the restart the analysis goes on at step %s past %s measurements (step %s, count "
                                + "%s)", analysisStep, countBefore, step, count)
                        .isTrue();
            });
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !kubectl.run("get", "pods", "-l",
                            "modelops.dev/deployment=iris-faults,modelops.dev/track=canary", "-o", "name").out()
                            .contains("pod/" + canaryPod + "\n")
                            || kubectl.jsonpath("md", "iris-faults", "{.status.stable.modelVersion}").equals(to));

            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> kubectl.jsonpath("md", "iris-faults", "{.status.stable.modelVersion}"), to::equals);
            List<String> outcomes = List.of(
                    kubectl.jsonpath("md", "iris-faults", "{.status.history[*].outcome}").split(" "));
            List<String> versions = List.of(
                    kubectl.jsonpath("md", "iris-faults", "{.status.history[*].version}").split(" "));
            assertThat(outcomes).as("history after the faults: %s", versions).doesNotContain("RolledBack", "Aborted");
            assertThat(java.util.stream.IntStream.range(0, outcomes.size())
                    .filter(i -> outcomes.get(i).equals("Promoted")
                            && versions.get(i).equals(String.valueOf(number(to))))
                    .count()).as("promotions of %s recorded", to).isEqualTo(1);
            assertThat(kubectl.jsonpath("mv", to, "{.status.rejections}")).isEmpty();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> kubectl.jsonpath("md", "iris-faults", "{.status.phase}"), "Healthy"::equals);
            assertThat(traffic.ok()).as("requests answered during the faults").isGreaterThan(50);
            assertThat(traffic.failed()).as("requests that failed during the faults (of " + traffic.ok() + ")")
                    .isLessThanOrEqualTo(Math.max(3, traffic.ok() / 20));
        }
        assertThat(sandbox.operator().isAlive()).isTrue();
        kubectl.run("delete", "md", "iris-faults").ok();
    }

    /** "stable=N canary=M": the replicas the operator asked of each track's Deployment. */
    private String trackReplicas(String name) {
        String stable = kubectl.jsonpath("deploy", name + "-stable", "{.spec.replicas}");
        Kubectl.Result canary = kubectl.run("get", "deploy", name + "-canary", "-o", "jsonpath={.spec.replicas}");
        return "stable=" + stable + " canary=" + (canary.exitCode() == 0 ? canary.out().trim() : "none");
    }

    /** Ready Iris versions that predict well (held-out accuracy at least 0.8; a diverged one scores 0.33), oldest first. */
    private List<String> readyIrisVersions() {
        String lines = kubectl.run("get", "mv", "-l", "modelops.dev/model=iris", "-o",
                "jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.spec.metrics.accuracy}{\"\\n\"}{end}")
                .ok().out();
        return lines.lines().map(l -> l.trim().split("\\s+"))
                .filter(f -> f.length == 3 && f[1].equals("Ready") && Double.parseDouble(f[2]) >= 0.8)
                .map(f -> f[0]).sorted(java.util.Comparator.comparingInt(SandboxEndToEndTest::number)).toList();
    }

    private static int number(String version) {
        return Integer.parseInt(version.substring(version.lastIndexOf("-v") + 2));
    }

    private static final String FAULTS = """
            apiVersion: modelops.dev/v1alpha1
            kind: ModelDeployment
            metadata:
              name: iris-faults
            spec:
              model: iris
              version: %d
              replicas: 2
              runtime:
                threads:
                  intraOp: 1
              rollout:
                strategy: Canary
                steps:
                  - setWeight: 50
                  - pause: {}
                  - analysis:
                      measurements: 3
                analysis:
                  interval: 5s
                  minRequests: 5
                  failureLimit: 0
                  inconclusiveLimit: 3
                  metrics:
                    - name: error-rate
                      type: ErrorRate
                      max: 0.05
                    - name: drift
                      type: PredictionDrift
                      max: 0.2
            """;

    /** Writes by clients other than the sandbox's own components and kubectl: the operator's. */
    private long operatorWrites() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(sandbox.api().url() + "/sandbox/writes")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode writes = JSON.readTree(response.body());
        long count = 0;
        for (var it = writes.path("byUserAgent").fields(); it.hasNext();) {
            var e = it.next();
            if (!e.getKey().startsWith("modelops-sandbox/") && !e.getKey().startsWith("kubectl")) {
                count += e.getValue().asLong();
            }
        }
        return count;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** Waits until the version has its verdict, Ready or Failed, and returns it. */
    private String awaitVerdict(String version) {
        await().atMost(TRAINING_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.jsonpath("mv", version, "{.status.phase}"), p -> p.equals("Failed")
                        || p.equals("Ready"));
        return kubectl.jsonpath("mv", version, "{.status.phase}");
    }

    /** A field of the version's Ready condition (reason, message, lastTransitionTime). */
    private String readyCondition(String version, String field) {
        return kubectl.jsonpath("mv", version, "{.status.conditions[?(@.type==\"Ready\")]." + field + "}");
    }
}
