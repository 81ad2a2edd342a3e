package dev.modelops.operator.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.modelops.api.ModelOps;
import dev.modelops.api.deployment.AnalysisMetric;
import dev.modelops.api.deployment.AnalysisMetricType;
import dev.modelops.api.deployment.AnalysisStep;
import dev.modelops.api.deployment.AnalysisTemplate;
import dev.modelops.api.deployment.Autoscaling;
import dev.modelops.api.deployment.CanaryStep;
import dev.modelops.api.deployment.DeploymentPhase;
import dev.modelops.api.deployment.GatewayApiTraffic;
import dev.modelops.api.deployment.GatewayParentReference;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.ModelDeploymentSpec;
import dev.modelops.api.deployment.RolloutSpec;
import dev.modelops.api.deployment.RolloutStrategy;
import dev.modelops.api.deployment.TrafficMode;
import dev.modelops.api.deployment.TrafficSpec;
import dev.modelops.api.training.ModelTraining;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.VersionPhase;
import dev.modelops.operator.Chart;
import dev.modelops.operator.FakeDeploymentController;
import dev.modelops.operator.FakeJobController;
import dev.modelops.operator.FakeMetricsServer;
import dev.modelops.operator.MutableClock;
import dev.modelops.operator.rbac.RbacPolicy.Atom;
import dev.modelops.operator.rbac.RbacPolicy.Need;
import dev.modelops.operator.training.TrainingJobPlanner;
import dev.modelops.operator.training.Trainings;
import dev.modelops.operator.version.ValidationJobPlanner;
import dev.modelops.operator.version.Versions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The chart's RBAC against what the operator does. The operator runs a whole lifecycle on the mock API server, with
 * leader election on: a distributed training suspended and resumed, its version validated after a transient failure,
 * a second version, an autoscaled deployment with Gateway API traffic whose canary is analysed, rolled back, retried
 * and promoted, hand edits undone, autoscaling changed and dropped, a served version's deletion held and released.
 * Every request the operator's client sent is recorded (the test's own client signs its requests with another user
 * agent) and turned into the verb, group and resource RBAC checks, plus what the API server checks beyond the
 * request: setting {@code blockOwnerDeletion} on an owner reference needs {@code update} on the owner's finalizers,
 * and the SDK's own check of its Lease access before it campaigns.
 * The chart must allow every one of them (no gap) and grant nothing else (each verb it grants, taken away, must open
 * a gap); Secrets are never granted.
 */
@QuarkusTest
@TestProfile(RbacCoverageTest.LeaderElected.class)
@WithKubernetesTestServer(setup = RbacCoverageTest.AccessReview.class)
class RbacCoverageTest {

    /** Where the user's objects live. */
    static final String NS = "ml-team";
    /** Where the operator runs (its client's namespace on the mock server): its Lease lives here. */
    static final String OPERATOR_NS = "test";
    static final String SERVICE_ACCOUNT = Chart.RELEASE + "-operator";
    private static final String TEST_AGENT = "modelops-rbac-test";
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Leader election as the chart sets it up for more than one replica. */
    public static class LeaderElected implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.operator-sdk.activate-leader-election-for-profiles", "test",
                    "modelops.leader-election.enabled", "true",
                    "modelops.leader-election.lease-name", SERVICE_ACCOUNT);
        }
    }

    /**
     * The mock server does not review access. Before leader election starts, the SDK asks which verbs it has on Leases
     * (a SelfSubjectRulesReview): the answer is what the chart grants.
     */
    public static class AccessReview implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            List<ResourceRule> rules = new ArrayList<>();
            for (RbacPolicy.Grant g : RbacPolicy.of(Chart.render(OPERATOR_NS, Map.of("replicas", 2)), OPERATOR_NS,
                    SERVICE_ACCOUNT).grants()) {
                if (g.namespace() == null || g.namespace().equals(OPERATOR_NS)) {
                    rules.add(new ResourceRuleBuilder().withApiGroups(g.apiGroups()).withResources(g.resources())
                            .withVerbs(g.verbs()).withResourceNames(g.resourceNames()).build());
                }
            }
            server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews").andReturn(201,
                    new SelfSubjectRulesReviewBuilder().withNewStatus().withIncomplete(false).withResourceRules(
                            rules).endStatus().build())
                    .always();
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient operatorClient;

    /** What the lifecycle needed; recorded once, by the first test that asks. */
    private static List<Need> needs;
    /** Owner finalizers the objects the operator wrote point at (see {@link #watchOwnerReferences}). */
    private static final Set<Need> ownerFinalizers = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @AfterAll
    static void resetClock() {
        MutableClock.reset();
    }

    // ---- the checks ---------------------------------------------------------------------------------------------

    @Test
    void theClusterWideInstallGrantsEverythingTheOperatorDid() {
        RbacPolicy chart = clusterWide();
        assertThat(chart.gaps(needs(), RbacPolicy.kubernetesDefaults())).as("requests the chart does not allow")
                .isEmpty();
    }

    @Test
    void aNamespacedInstallGrantsTheSameInTheWatchedNamespace() {
        List<JsonNode> docs = Chart.render(OPERATOR_NS, Map.of("replicas", 2, "watchNamespaces", List.of(NS)));
        assertThat(Chart.all(docs, "ClusterRole")).isEmpty();
        RbacPolicy chart = RbacPolicy.of(docs, OPERATOR_NS, SERVICE_ACCOUNT);
        // Watching one namespace, the SDK opens its informers there instead of across the cluster.
        List<Need> inNamespace = needs().stream().map(n -> n.access().isResource() && n.access().namespaced()
                && n.access().namespace() == null ? new Need(n.access().in(NS), n.why()) : n).toList();
        assertThat(chart.gaps(inNamespace, RbacPolicy.kubernetesDefaults())).as("requests the chart does not allow")
                .isEmpty();
    }

    @Test
    void everyVerbTheChartGrantsIsNeededAndTakingOneAwayIsDetected() {
        RbacPolicy chart = clusterWide();
        List<Need> needed = needs();
        assertThat(chart.atoms()).hasSizeGreaterThan(20);
        List<Need> granted = needed.stream().filter(n -> !chart.gaps(List.of(n), RbacPolicy.kubernetesDefaults())
                .contains(n)).toList();
        List<String> unused = new ArrayList<>();
        for (Atom atom : chart.atoms()) {
            if (chart.without(atom).gaps(granted, RbacPolicy.kubernetesDefaults()).isEmpty()) {
                unused.add(atom.toString());
            }
        }
        assertThat(unused).as("granted, but nothing the operator did needs it").isEmpty();
    }

    @Test
    void secretsAreNeitherGrantedNorRead() {
        RbacPolicy chart = clusterWide();
        assertThat(chart.atoms()).as("no wildcards, no Secrets").noneMatch(a -> a.resource().equals("secrets") || a
                .resource().contains("*") || a.group().equals("*") || a.verb().equals("*"));
        assertThat(needs()).noneMatch(n -> n.access().isResource() && n.access().baseResource().equals("secrets"));
    }

    @Test
    void theRecordingHoldsTheOperatorsRequestsOnly() {
        List<ApiAccess> accesses = needs().stream().map(Need::access).toList();
        // The informers' list and watch were seen (watches travel as WebSocket upgrades)...
        for (String resource : List.of("modeltrainings", "modelversions", "modeldeployments", "jobs", "pods",
                "services", "deployments", "horizontalpodautoscalers")) {
            assertThat(accesses).anyMatch(a -> a.isResource() && a.resource().equals(resource) && a.verb().equals(
                    "watch"));
        }
        // ...and leader election's Lease, in the operator's namespace...
        assertThat(accesses).contains(ApiAccess.resource("create", "coordination.k8s.io", "leases", OPERATOR_NS,
                null));
        // ...but none of the test's own writes: only the test creates trainings and deployments.
        assertThat(accesses).noneMatch(a -> a.isResource() && a.verb().equals("create") && (a.resource().equals(
                "modeltrainings") || a.resource().equals("modeldeployments")));
    }

    private static RbacPolicy clusterWide() {
        return RbacPolicy.of(Chart.render(OPERATOR_NS, Map.of("replicas", 2)), OPERATOR_NS, SERVICE_ACCOUNT);
    }

    // ---- the recording ------------------------------------------------------------------------------------------

    private synchronized List<Need> needs() {
        if (needs == null) {
            try {
                runLifecycle();
                needs = recordedNeeds();
                // What the operator needs, for a person reviewing the chart's rules.
                java.nio.file.Files.writeString(java.nio.file.Path.of("target", "rbac-needs.txt"), describe(needs));
            } catch (Exception e) {
                throw new IllegalStateException("the lifecycle did not complete", e);
            }
        }
        return needs;
    }

    /** Every request the server received from the operator, and the owner-finalizer checks its objects imply. */
    private List<Need> recordedNeeds() throws Exception {
        Set<Need> found = new LinkedHashSet<>();
        for (RecordedRequest r = take(); r != null; r = take()) {
            if (TEST_AGENT.equals(r.getHeader("User-Agent"))) {
                continue;
            }
            String request = r.getMethod() + " " + r.getPath();
            ApiAccess access = ApiAccess.of(r.getMethod(), r.getPath());
            // One need per access; a name matters only to rules with resourceNames, which the chart has none of.
            found.add(new Need(access.isResource()
                    ? ApiAccess.resource(access.verb(), access.group(), access
                            .resource(), access.namespace(), null)
                    : access, request));
        }
        found.addAll(ownerFinalizers);
        if (found.stream().anyMatch(n -> n.access().isResource() && n.access().resource().equals(
                "selfsubjectrulesreviews"))) {
            // Before it campaigns, the SDK reviews its own rules and refuses to start unless it may get, create and
            // update Leases in the Lease's namespace (LeaderElectionManager.checkLeaseAccess); the Lease lock itself
            // then renews with patch.
            for (String verb : List.of("get", "create", "update")) {
                found.add(new Need(ApiAccess.resource(verb, "coordination.k8s.io", "leases", OPERATOR_NS, null),
                        "the SDK's lease access check"));
            }
        }
        // The same access seen many times counts once (the first request that showed it is kept as the reason).
        Map<ApiAccess, Need> unique = new java.util.LinkedHashMap<>();
        found.forEach(n -> unique.putIfAbsent(n.access(), n));
        return List.copyOf(unique.values());
    }

    /**
     * Owner references with blockOwnerDeletion on what the operator writes: the API server lets a client set one only
     * if it may update the owner's finalizers subresource (OwnerReferencesPermissionEnforcement). The mock server
     * keeps no request bodies, so the objects are watched as they are written; neither the test nor its fakes set
     * owner references on these kinds, so every one seen is the operator's.
     */
    private static List<Watch> watchOwnerReferences(KubernetesClient test) {
        return List.of(watchOwnerReferences(test, Job.class), watchOwnerReferences(test, Service.class),
                watchOwnerReferences(test, Deployment.class), watchOwnerReferences(test,
                        HorizontalPodAutoscaler.class),
                watchOwnerReferences(test, HTTPRoute.class), watchOwnerReferences(test, ModelVersion.class));
    }

    private static <T extends HasMetadata> Watch watchOwnerReferences(KubernetesClient test, Class<T> kind) {
        return test.resources(kind).inNamespace(NS).watch(new Watcher<T>() {
            @Override
            public void eventReceived(Action action, T object) {
                for (OwnerReference ref : object.getMetadata().getOwnerReferences()) {
                    if (Boolean.TRUE.equals(ref.getBlockOwnerDeletion())) {
                        String group = ref.getApiVersion().contains("/")
                                ? ref.getApiVersion().substring(0, ref
                                        .getApiVersion().indexOf('/'))
                                : "";
                        ownerFinalizers.add(new Need(ApiAccess.resource("update", group, plural(ref.getKind())
                                + "/finalizers", NS, null), "blockOwnerDeletion on " + object.getKind() + " "
                                        + object.getMetadata().getName()));
                    }
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // closed at the end of the lifecycle
            }
        });
    }

    private static String plural(String kind) {
        for (Class<? extends HasMetadata> type : List.of(ModelTraining.class, ModelVersion.class,
                ModelDeployment.class)) {
            if (HasMetadata.getKind(type).equals(kind)) {
                return HasMetadata.getPlural(type);
            }
        }
        throw new IllegalArgumentException("an owner of kind " + kind + ": teach the test its plural");
    }

    private RecordedRequest take() throws InterruptedException {
        return server.getKubernetesMockServer().takeRequest(100, TimeUnit.MILLISECONDS);
    }

    // ---- the lifecycle ------------------------------------------------------------------------------------------

    private KubernetesClient testClient() {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(operatorClient.getConfiguration().getMasterUrl())
                .withTrustCerts(true)
                .withNamespace(NS)
                .withUserAgent(TEST_AGENT)
                .withHttp2Disable(true)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private void runLifecycle() throws Exception {
        try (KubernetesClient test = testClient();
                FakeDeploymentController kube = new FakeDeploymentController(test);
                FakeMetricsServer stableMetrics = new FakeMetricsServer("stable");
                FakeMetricsServer canaryMetrics = new FakeMetricsServer("canary")) {
            kube.metricsPort("stable", stableMetrics.port());
            kube.metricsPort("canary", canaryMetrics.port());
            List<Watch> watches = watchOwnerReferences(test);
            Lifecycle life = new Lifecycle(test);

            // A distributed training (Indexed Job, headless Service), suspended and resumed, producing iris-v1. Its
            // Service's name is taken already: the operator updates it into its own.
            life.leftoverService("train-1");
            life.train("train-1", 2);
            // Its validation fails transiently once (the first Job is deleted for the second), then passes.
            life.validateAfterATransientFailure("iris-v1");
            // A second version, by hand.
            life.readyVersion(2);

            // Serving: autoscaled, Gateway API traffic, a canary analysed from its pods' metrics. Objects of the
            // names it will create already exist unlabelled, as when a create's event has not reached the cache
            // yet: the operator's create meets 409 and it converges on the stored object instead.
            life.leftoversOfAnEarlierPass();
            life.deploy();
            life.undoHandEdits();
            life.rollBackThenRetryThenPromote(stableMetrics, canaryMetrics);
            life.changeThenDropAutoscaling();
            // Deleting versions: an unserved one goes at once, a served one waits for its deployment to go.
            life.deleteVersions();
            watches.forEach(Watch::close);
        }
    }

    /** The steps, each waiting for the operator as a person would. */
    private static final class Lifecycle {
        private final KubernetesClient test;
        private final FakeJobController trainingJobs;
        private final FakeJobController validationJobs;

        Lifecycle(KubernetesClient test) {
            this.test = test;
            this.trainingJobs = new FakeJobController(test, TrainingJobPlanner.CONTAINER);
            this.validationJobs = new FakeJobController(test, ValidationJobPlanner.CONTAINER);
        }

        void train(String name, int workers) {
            ModelTraining training = Trainings.training(name, "iris");
            training.getSpec().setWorkers(workers);
            training.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
            test.resource(training).create();

            Job job = awaitJob(trainingJobs, name);
            suspend(name, true);
            await().atMost(WAIT).until(() -> Boolean.TRUE.equals(trainingJobs.job(NS, name).getSpec().getSuspend()));
            suspend(name, false);
            await().atMost(WAIT).until(() -> !Boolean.TRUE.equals(trainingJobs.job(NS, name).getSpec()
                    .getSuspend()));
            job = trainingJobs.job(NS, name);
            trainingJobs.succeed(job, trainingJobs.start(job), "{\"artifact\":{\"uri\":\"pvc://models/iris/" + name
                    + "/model.onnx\",\"sha256\":\"" + Versions.SHA + "\"},\"metrics\":{\"accuracy\":0.96}}");
            await().atMost(WAIT).until(() -> version("iris-v1") != null);
        }

        private void suspend(String training, boolean suspend) {
            retrying(() -> test.resources(ModelTraining.class).inNamespace(NS).withName(training).edit(t -> {
                t.getSpec().setSuspend(suspend);
                return t;
            }));
        }

        void validateAfterATransientFailure(String version) {
            Job first = awaitJob(validationJobs, version + "-validate-1");
            validationJobs.fail(first, validationJobs.start(first), 1, Versions.failure("ArtifactUnreachable",
                    "connection refused"));
            Job second = awaitJob(validationJobs, version + "-validate-2");
            validationJobs.succeed(second, validationJobs.start(second), Versions.okReport());
            awaitVersion(version, v -> v.getStatus() != null && v.getStatus().getPhase() == VersionPhase.Ready);
        }

        void readyVersion(int number) {
            ModelVersion version = Versions.version("iris", number);
            version.getMetadata().setNamespace(NS);
            version.getMetadata().setUid(null);
            version.getMetadata().setGeneration(null);
            version.getSpec().setMetrics(Map.of("accuracy", 0.97));
            test.resource(version).create();
            Job job = awaitJob(validationJobs, "iris-v" + number + "-validate-1");
            validationJobs.succeed(job, validationJobs.start(job), Versions.okReport());
            awaitVersion("iris-v" + number, v -> v.getStatus() != null && v.getStatus()
                    .getPhase() == VersionPhase.Ready);
        }

        void leftoverService(String name) {
            test.resource(new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                    .withNewSpec().addNewPort().withPort(9).endPort().endSpec().build()).create();
        }

        void leftoversOfAnEarlierPass() {
            leftoverService("iris");
            test.resource(new DeploymentBuilder().withNewMetadata().withName("iris-stable").withNamespace(NS)
                    .endMetadata().withNewSpec().withNewSelector().addToMatchLabels("app", "leftover").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", "leftover").endMetadata().withNewSpec()
                    .addNewContainer().withName("c").withImage("leftover").endContainer().endSpec().endTemplate()
                    .endSpec().build()).create();
            test.resource(new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("iris").withNamespace(NS)
                    .endMetadata().withNewSpec().withMaxReplicas(1).withNewScaleTargetRef().withKind("Deployment")
                    .withName("leftover").withApiVersion("apps/v1").endScaleTargetRef().endSpec().build()).create();
        }

        void deploy() {
            CanaryStep weight = new CanaryStep();
            weight.setSetWeight(50);
            CanaryStep analysis = new CanaryStep();
            AnalysisStep measurements = new AnalysisStep();
            measurements.setMeasurements(3);
            analysis.setAnalysis(measurements);
            AnalysisMetric errors = new AnalysisMetric();
            errors.setName("error-rate");
            errors.setType(AnalysisMetricType.ErrorRate);
            errors.setMax(0.01);
            AnalysisTemplate template = new AnalysisTemplate();
            template.setInterval("1m");
            template.setMinRequests(20);
            template.setFailureLimit(0);
            template.setMetrics(List.of(errors));
            GatewayParentReference parent = new GatewayParentReference();
            parent.setName("inference");
            GatewayApiTraffic gateway = new GatewayApiTraffic();
            gateway.setParentRefs(List.of(parent));
            TrafficSpec traffic = new TrafficSpec();
            traffic.setMode(TrafficMode.GatewayAPI);
            traffic.setGatewayAPI(gateway);
            RolloutSpec rollout = new RolloutSpec();
            rollout.setStrategy(RolloutStrategy.Canary);
            rollout.setSteps(List.of(weight, analysis));
            rollout.setAnalysis(template);
            rollout.setTraffic(traffic);
            Autoscaling autoscaling = new Autoscaling();
            autoscaling.setMinReplicas(2);
            autoscaling.setMaxReplicas(4);
            ModelDeploymentSpec spec = new ModelDeploymentSpec();
            spec.setModel("iris");
            spec.setVersion(1);
            spec.setAutoscaling(autoscaling);
            spec.setRollout(rollout);
            ModelDeployment md = new ModelDeployment();
            md.setMetadata(new ObjectMetaBuilder().withName("iris").withNamespace(NS).build());
            md.setSpec(spec);
            test.resource(md).create();
            awaitMd(d -> d.getStatus().getPhase() == DeploymentPhase.Healthy);
            await().atMost(WAIT).until(() -> test.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS)
                    .withName("iris").get() != null);
        }

        /** A person edits what the operator owns; the operator puts it back. */
        void undoHandEdits() {
            retrying(() -> test.services().inNamespace(NS).withName("iris-stable").edit(s -> {
                s.getSpec().setSelector(Map.of("app", "other"));
                return s;
            }));
            await().atMost(WAIT).until(() -> !test.services().inNamespace(NS).withName("iris-stable").get().getSpec()
                    .getSelector().containsKey("app"));
            test.services().inNamespace(NS).withName("iris").delete();
            await().atMost(WAIT).until(() -> test.services().inNamespace(NS).withName("iris").get() != null);
        }

        void rollBackThenRetryThenPromote(FakeMetricsServer stable, FakeMetricsServer canary) {
            editMd(spec -> spec.setVersion(2));
            awaitMd(d -> d.getStatus().getCanary() != null && d.getStatus().getCanary().getCurrentStep() == 1);
            await().atMost(WAIT).until(() -> canary.scrapes() >= 1 && stable.scrapes() >= 1);
            stable.serve(100, 0, Map.of("a", 50L));
            canary.serve(70, 30, Map.of("a", 70L));
            MutableClock.skip(Duration.ofSeconds(61));
            annotate("test.modelops.dev/poke", Long.toString(System.nanoTime()));
            awaitMd(d -> d.getStatus().getPhase() == DeploymentPhase.Degraded);
            awaitVersion("iris-v2", v -> v.getStatus().getRejections() != null);

            annotate(ModelOps.ANNOTATION_ACTION, "retry");
            awaitVersion("iris-v2", v -> v.getStatus().getRejections() == null);
            awaitMd(d -> d.getStatus().getCanary() != null);
            annotate(ModelOps.ANNOTATION_ACTION, "promote-full");
            awaitMd(d -> d.getStatus().getCanary() == null && "iris-v2".equals(d.getStatus().getStable()
                    .getModelVersion()));
            await().atMost(WAIT).until(() -> test.apps().deployments().inNamespace(NS).withName("iris-canary")
                    .get() == null);
        }

        void changeThenDropAutoscaling() {
            editMd(spec -> spec.getAutoscaling().setMaxReplicas(5));
            await().atMost(WAIT).until(() -> test.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS)
                    .withName("iris").get().getSpec().getMaxReplicas() == 5);
            editMd(spec -> {
                spec.setAutoscaling(null);
                spec.setReplicas(2);
            });
            await().atMost(WAIT).until(() -> test.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS)
                    .withName("iris").get() == null);
        }

        void deleteVersions() {
            test.resources(ModelVersion.class).inNamespace(NS).withName("iris-v1").delete();
            await().atMost(WAIT).until(() -> version("iris-v1") == null);
            test.resources(ModelVersion.class).inNamespace(NS).withName("iris-v2").delete();
            awaitVersion("iris-v2", v -> v.getMetadata().getDeletionTimestamp() != null && v.getStatus()
                    .getConditions().stream().anyMatch(c -> c.getMessage() != null && c.getMessage().contains(
                            "deletion waits")));
            test.resources(ModelDeployment.class).inNamespace(NS).withName("iris").delete();
            await().atMost(WAIT).until(() -> version("iris-v2") == null);
        }

        private Job awaitJob(FakeJobController jobs, String name) {
            await().atMost(WAIT).until(() -> jobs.job(NS, name) != null);
            return jobs.job(NS, name);
        }

        private ModelVersion version(String name) {
            return test.resources(ModelVersion.class).inNamespace(NS).withName(name).get();
        }

        private void awaitVersion(String name, Predicate<ModelVersion> check) {
            await().atMost(WAIT).until(() -> {
                ModelVersion v = version(name);
                return v != null && check.test(v);
            });
        }

        private void awaitMd(Predicate<ModelDeployment> check) {
            await().atMost(WAIT).until(() -> {
                ModelDeployment md = test.resources(ModelDeployment.class).inNamespace(NS).withName("iris").get();
                return md != null && md.getStatus() != null && check.test(md);
            });
        }

        private void editMd(Consumer<ModelDeploymentSpec> change) {
            retrying(() -> test.resources(ModelDeployment.class).inNamespace(NS).withName("iris").edit(md -> {
                change.accept(md.getSpec());
                return md;
            }));
        }

        /** What `kubectl annotate md iris key=value --overwrite` does. */
        private void annotate(String key, String value) {
            retrying(() -> test.resources(ModelDeployment.class).inNamespace(NS).withName("iris").edit(md -> {
                Map<String, String> annotations = new HashMap<>(md.getMetadata().getAnnotations() == null
                        ? Map.of()
                        : md.getMetadata().getAnnotations());
                annotations.put(key, value);
                md.getMetadata().setAnnotations(annotations);
                return md;
            }));
        }

        /** A write by hand, tried again when a controller's write came first (409), as a person would. */
        private static void retrying(Runnable write) {
            await().atMost(WAIT).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> {
                write.run();
                return true;
            });
        }
    }

    /** For failure messages: the needs, one a line, sorted. */
    static String describe(List<Need> needs) {
        return needs.stream().map(Need::toString).collect(Collectors.toCollection(TreeSet::new)).stream().collect(
                Collectors.joining("\n"));
    }
}
