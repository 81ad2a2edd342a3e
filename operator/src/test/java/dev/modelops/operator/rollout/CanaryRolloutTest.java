package dev.modelops.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.modelops.api.ModelOps;
import dev.modelops.api.common.MeasurementOutcome;
import dev.modelops.api.deployment.AnalysisMetric;
import dev.modelops.api.deployment.AnalysisMetricType;
import dev.modelops.api.deployment.AnalysisTemplate;
import dev.modelops.api.deployment.CanaryStep;
import dev.modelops.api.deployment.DeploymentPhase;
import dev.modelops.api.deployment.GatewayApiTraffic;
import dev.modelops.api.deployment.GatewayParentReference;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.ModelDeploymentSpec;
import dev.modelops.api.deployment.RolloutOutcome;
import dev.modelops.api.deployment.RolloutSpec;
import dev.modelops.api.deployment.RolloutStrategy;
import dev.modelops.api.deployment.TrafficMode;
import dev.modelops.api.deployment.TrafficSpec;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.VersionPhase;
import dev.modelops.operator.FakeDeploymentController;
import dev.modelops.operator.FakeJobController;
import dev.modelops.operator.FakeMetricsServer;
import dev.modelops.operator.MutableClock;
import dev.modelops.operator.common.Conditions;
import dev.modelops.operator.version.ValidationJobPlanner;
import dev.modelops.operator.version.Versions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * Canary rollouts on the mock API server, driven as a person drives them (edit spec.version, annotate an action), with
 * the analysis scraping fake pods' /metrics and the clock skipped instead of slept.
 */
@QuarkusTest
@WithKubernetesTestServer
class CanaryRolloutTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    KubernetesClient client;

    @Inject
    java.time.Clock clock;

    FakeJobController jobs;
    FakeDeploymentController kube;
    FakeMetricsServer stableMetrics;
    FakeMetricsServer canaryMetrics;
    String ns;

    @BeforeEach
    void setUp() throws Exception {
        jobs = new FakeJobController(client, ValidationJobPlanner.CONTAINER);
        kube = new FakeDeploymentController(client);
        stableMetrics = new FakeMetricsServer("stable");
        canaryMetrics = new FakeMetricsServer("canary");
        kube.metricsPort("stable", stableMetrics.port());
        kube.metricsPort("canary", canaryMetrics.port());
        ns = client.getNamespace();
    }

    @AfterEach
    void tearDown() {
        MutableClock.reset();
        kube.close();
        stableMetrics.close();
        canaryMetrics.close();
    }

    private void readyVersion(String model, int number, double accuracy) {
        ModelVersion version = Versions.version(model, number);
        version.getMetadata().setNamespace(ns);
        version.getMetadata().setUid(null);
        version.getMetadata().setGeneration(null);
        version.getSpec().setMetrics(Map.of("accuracy", accuracy));
        client.resource(version).create();
        String jobName = model + "-v" + number + "-validate-1";
        await().atMost(WAIT).until(() -> jobs.job(ns, jobName) != null);
        Job job = jobs.job(ns, jobName);
        jobs.succeed(job, jobs.start(job), Versions.okReport());
        await().atMost(WAIT).until(() -> {
            ModelVersion v = version(model + "-v" + number);
            return v.getStatus() != null && v.getStatus().getPhase() == VersionPhase.Ready;
        });
    }

    private ModelVersion version(String name) {
        return client.resources(ModelVersion.class).inNamespace(ns).withName(name).get();
    }

    private static CanaryStep weight(int w) {
        return CanaryStepsTest.weight(w);
    }

    private void create(String name, String model, List<CanaryStep> steps, Consumer<RolloutSpec> more) {
        ModelDeploymentSpec spec = new ModelDeploymentSpec();
        spec.setModel(model);
        spec.setVersion(1);
        spec.setReplicas(2);
        RolloutSpec rollout = new RolloutSpec();
        rollout.setStrategy(RolloutStrategy.Canary);
        rollout.setSteps(steps);
        AnalysisTemplate t = new AnalysisTemplate();
        t.setInterval("1m");
        t.setMinRequests(20);
        AnalysisMetric errors = new AnalysisMetric();
        errors.setName("error-rate");
        errors.setType(AnalysisMetricType.ErrorRate);
        errors.setMax(0.01);
        AnalysisMetric drift = new AnalysisMetric();
        drift.setName("drift");
        drift.setType(AnalysisMetricType.PredictionDrift);
        drift.setMax(0.1);
        t.setMetrics(List.of(errors, drift));
        rollout.setAnalysis(t);
        more.accept(rollout);
        spec.setRollout(rollout);
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        md.setSpec(spec);
        client.resource(md).create();
    }

    private ModelDeployment get(String name) {
        return client.resources(ModelDeployment.class).inNamespace(ns).withName(name).get();
    }

    private ModelDeployment awaitMd(String name, Consumer<ModelDeployment> check) {
        await().atMost(WAIT).untilAsserted(() -> {
            ModelDeployment md = get(name);
            assertThat(md.getStatus()).isNotNull();
            check.accept(md);
        });
        return get(name);
    }

    private void retrying(Runnable write) {
        await().atMost(WAIT).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
            write.run();
            return true;
        });
    }

    private void setVersion(String name, int version) {
        retrying(() -> client.resources(ModelDeployment.class).inNamespace(ns).withName(name).edit(md -> {
            md.getSpec().setVersion(version);
            return md;
        }));
    }

    /** What `kubectl annotate md NAME key=value --overwrite` does. */
    private void annotate(String name, String key, String value) {
        retrying(() -> client.resources(ModelDeployment.class).inNamespace(ns).withName(name).edit(md -> {
            Map<String, String> annotations = new HashMap<>(md.getMetadata().getAnnotations() == null
                    ? Map.of()
                    : md.getMetadata().getAnnotations());
            annotations.put(key, value);
            md.getMetadata().setAnnotations(annotations);
            return md;
        }));
    }

    /** Skips time and wakes the operator (as its own timer would, an interval later). */
    private void skip(String name, Duration duration) {
        MutableClock.skip(duration);
        annotate(name, "test.modelops.dev/poke", Long.toString(System.nanoTime()));
    }

    private static Consumer<ModelDeployment> atStep(int step) {
        return md -> {
            assertThat(md.getStatus().getCanary()).isNotNull();
            assertThat(md.getStatus().getCanary().getCurrentStep()).isEqualTo(step);
        };
    }

    private int deploymentReplicas(String name) {
        var d = client.apps().deployments().inNamespace(ns).withName(name).get();
        return d == null ? -1 : d.getSpec().getReplicas();
    }

    @Test
    void aGoodVersionIsAnalysedPausedAndPromoted() {
        readyVersion("good", 1, 0.95);
        readyVersion("good", 2, 0.96);
        create("good", "good", List.of(weight(50), CanaryStepsTest.analysis(2), CanaryStepsTest.pause("10m"),
                CanaryStepsTest.pause(null)), r -> {
                });
        awaitMd("good", md -> assertThat(md.getStatus().getPhase()).isEqualTo(DeploymentPhase.Healthy));

        MutableClock.skip(Duration.ofSeconds(5));
        assertThat(Duration.between(java.time.Instant.now(), clock.instant())).as("the operator runs on the test's "
                + "clock").isGreaterThan(Duration.ofSeconds(4));
        setVersion("good", 2);
        ModelDeployment md = awaitMd("good", atStep(1));
        assertThat(md.getStatus().getCanary().getWeight()).isEqualTo(50);
        assertThat(deploymentReplicas("good-canary")).isEqualTo(1);
        assertThat(deploymentReplicas("good-stable")).isEqualTo(1);
        assertThat(client.services().inNamespace(ns).withName("good-canary").get()).isNotNull();

        // The analysis starts its first interval by reading a baseline; then two intervals of healthy traffic on
        // both tracks, predictions alike.
        await().atMost(WAIT).until(() -> canaryMetrics.scrapes() >= 1 && stableMetrics.scrapes() >= 1);
        for (int i = 0; i < 2; i++) {
            stableMetrics.serve(100, 0, Map.of("a", 50L, "b", 50L));
            canaryMetrics.serve(100, 0, Map.of("a", 48L, "b", 52L));
            skip("good", Duration.ofSeconds(61));
            int count = i + 1;
            awaitMd("good", d -> assertThat(d.getStatus().getCanary().getAnalysis() == null
                    ? 0
                    : d.getStatus().getCanary().getAnalysis().getMeasurements().size() / 2)
                    .as(d.getStatus().getMessage()).isGreaterThanOrEqualTo(count));
        }
        md = awaitMd("good", atStep(2));
        assertThat(md.getStatus().getCanary().getAnalysis().getMeasurements()).extracting(m -> m.getOutcome())
                .containsOnly(MeasurementOutcome.Successful);
        assertThat(md.getStatus().getCanary().getAnalysis().getMeasurements().get(0).getThreshold())
                .isEqualTo("<= 0.01");

        skip("good", Duration.ofMinutes(10));
        md = awaitMd("good", atStep(3));
        assertThat(md.getStatus().getPhase()).isEqualTo(DeploymentPhase.Paused);

        annotate("good", ModelOps.ANNOTATION_ACTION, "promote");
        md = awaitMd("good", d -> assertThat(d.getStatus().getStable().getModelVersion()).isEqualTo("good-v2"));
        assertThat(md.getStatus().getPhase()).isEqualTo(DeploymentPhase.Healthy);
        assertThat(md.getStatus().getCanary()).isNull();
        assertThat(md.getStatus().getHistory()).extracting(h -> h.getOutcome()).containsExactly(
                RolloutOutcome.Promoted, RolloutOutcome.Promoted);
        assertThat(md.getMetadata().getAnnotations()).as("the action is consumed")
                .doesNotContainKey(ModelOps.ANNOTATION_ACTION);
        assertThat(md.getStatus().getLastAction().getAction()).isEqualTo("promote");
        await().atMost(WAIT).until(() -> deploymentReplicas("good-canary") == -1);
        assertThat(deploymentReplicas("good-stable")).isEqualTo(2);
        await().atMost(WAIT).until(() -> version("good-v1").getStatus().getDeployments() == null);
    }

    @Test
    void aVersionThatErrorsIsRolledBackWithTheEvidenceAndRetriedOnRequest() {
        readyVersion("err", 1, 0.95);
        readyVersion("err", 2, 0.96);
        create("err", "err", List.of(weight(50), CanaryStepsTest.analysis(3)), r -> r.getAnalysis()
                .setFailureLimit(0));
        awaitMd("err", md -> assertThat(md.getStatus().getPhase()).isEqualTo(DeploymentPhase.Healthy));
        setVersion("err", 2);
        awaitMd("err", atStep(1));
        await().atMost(WAIT).until(() -> canaryMetrics.scrapes() >= 1 && stableMetrics.scrapes() >= 1);

        stableMetrics.serve(100, 0, Map.of("a", 50L));
        canaryMetrics.serve(70, 30, Map.of("a", 70L));
        skip("err", Duration.ofSeconds(61));
        ModelDeployment md = awaitMd("err", d -> assertThat(d.getStatus().getPhase()).isEqualTo(
                DeploymentPhase.Degraded));
        assertThat(md.getStatus().getCanary()).isNull();
        assertThat(md.getStatus().getStable().getModelVersion()).isEqualTo("err-v1");
        assertThat(Conditions.find(md.getStatus().getConditions(), "RolledBack").getMessage())
                .contains("error-rate 0.3").contains("<= 0.01 Failed");
        assertThat(md.getStatus().getHistory()).last().satisfies(h -> assertThat(h.getOutcome())
                .isEqualTo(RolloutOutcome.RolledBack));
        await().atMost(WAIT).until(() -> deploymentReplicas("err-canary") == -1);
        assertThat(deploymentReplicas("err-stable")).isEqualTo(2);
        ModelVersion rejected = version("err-v2");
        assertThat(rejected.getStatus().getRejections()).singleElement().satisfies(r -> {
            assertThat(r.getDeployment()).isEqualTo("err");
            assertThat(r.getReason()).isEqualTo("AnalysisFailed");
            assertThat(r.getMeasurements()).extracting(m -> m.getMetric() + "=" + m.getValue())
                    .contains("error-rate=0.3");
        });
        assertThat(client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "err".equals(e.getInvolvedObject().getName())).map(e -> e.getReason()))
                .contains("CanaryStarted", "RolledBack");

        annotate("err", ModelOps.ANNOTATION_ACTION, "retry");
        await().atMost(WAIT).until(() -> version("err-v2").getStatus().getRejections() == null);
        md = awaitMd("err", atStep(1));
        assertThat(md.getStatus().getCanary().getAnalysis()).as("a retry starts clean").isNull();
        assertThat(md.getStatus().getLastAction().getMessage()).contains("took back the rejection of err-v2");
    }

    @Test
    void gatewayApiTrafficSetsTheRoutesWeightsExactly() {
        readyVersion("gw", 1, 0.95);
        readyVersion("gw", 2, 0.96);
        create("gw", "gw", List.of(weight(20), CanaryStepsTest.pause(null), weight(60), CanaryStepsTest.pause(
                null)), r -> {
                    TrafficSpec traffic = new TrafficSpec();
                    traffic.setMode(TrafficMode.GatewayAPI);
                    GatewayApiTraffic gateway = new GatewayApiTraffic();
                    GatewayParentReference parent = new GatewayParentReference();
                    parent.setName("inference");
                    parent.setNamespace("gateways");
                    gateway.setParentRefs(List.of(parent));
                    gateway.setHostnames(List.of("gw.example.com"));
                    traffic.setGatewayAPI(gateway);
                    r.setTraffic(traffic);
                });
        awaitMd("gw", md -> assertThat(md.getStatus().getPhase()).isEqualTo(DeploymentPhase.Healthy));
        assertThat(weights()).containsExactly(Map.entry("gw-stable", 100));

        setVersion("gw", 2);
        awaitMd("gw", atStep(1));
        await().atMost(WAIT).untilAsserted(() -> assertThat(weights()).containsExactly(Map.entry("gw-stable", 80),
                Map.entry("gw-canary", 20)));
        assertThat(deploymentReplicas("gw-stable")).as("exact weights: stable keeps every pod").isEqualTo(2);
        assertThat(deploymentReplicas("gw-canary")).isEqualTo(1);
        HTTPRoute route = route();
        assertThat(route.getSpec().getParentRefs().get(0).getName()).isEqualTo("inference");
        assertThat(route.getSpec().getHostnames()).containsExactly("gw.example.com");
        assertThat(route.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("gw");

        annotate("gw", ModelOps.ANNOTATION_ACTION, "promote");
        awaitMd("gw", atStep(3));
        await().atMost(WAIT).untilAsserted(() -> assertThat(weights()).containsExactly(Map.entry("gw-stable", 40),
                Map.entry("gw-canary", 60)));
        assertThat(deploymentReplicas("gw-canary")).isEqualTo(2);

        annotate("gw", ModelOps.ANNOTATION_ACTION, "pause");
        awaitMd("gw", md -> assertThat(Conditions.find(md.getStatus().getConditions(), "Paused").getReason())
                .isEqualTo("PausedByUser"));
        annotate("gw", ModelOps.ANNOTATION_ACTION, "promote-full");
        awaitMd("gw", md -> assertThat(md.getStatus().getStable().getModelVersion()).isEqualTo("gw-v2"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(weights()).containsExactly(Map.entry("gw-stable",
                100)));
    }

    @Test
    void unknownAndPointlessActionsAreReportedAndChangeNothing() {
        readyVersion("idle", 1, 0.95);
        create("idle", "idle", List.of(weight(50)), r -> {
        });
        awaitMd("idle", md -> assertThat(md.getStatus().getPhase()).isEqualTo(DeploymentPhase.Healthy));
        annotate("idle", ModelOps.ANNOTATION_ACTION, "jump");
        ModelDeployment md = awaitMd("idle", d -> assertThat(d.getStatus().getLastAction()).isNotNull());
        assertThat(md.getStatus().getLastAction().getApplied()).isFalse();
        assertThat(md.getStatus().getLastAction().getMessage()).contains("unknown action 'jump'");
        assertThat(md.getStatus().getPhase()).isEqualTo(DeploymentPhase.Healthy);
        await().atMost(WAIT).until(() -> get("idle").getMetadata().getAnnotations() == null || !get("idle")
                .getMetadata().getAnnotations().containsKey(ModelOps.ANNOTATION_ACTION));
        annotate("idle", ModelOps.ANNOTATION_ACTION, "abort");
        awaitMd("idle", d -> assertThat(d.getStatus().getLastAction().getAction()).isEqualTo("abort"));
        assertThat(get("idle").getStatus().getLastAction().getMessage()).contains("no canary");
    }

    private Map<String, Integer> weights() {
        HTTPRoute route = route();
        Map<String, Integer> weights = new java.util.LinkedHashMap<>();
        if (route != null) {
            route.getSpec().getRules().get(0).getBackendRefs().forEach(b -> weights.put(b.getName(), b.getWeight()));
        }
        return weights;
    }

    private HTTPRoute route() {
        return client.resources(HTTPRoute.class).inNamespace(ns).withName("gw").get();
    }
}
