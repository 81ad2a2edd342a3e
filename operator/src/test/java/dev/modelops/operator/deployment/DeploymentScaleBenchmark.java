package dev.modelops.operator.deployment;

import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.modelops.api.deployment.DeploymentPhase;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.ModelDeploymentSpec;
import dev.modelops.api.deployment.RolloutSpec;
import dev.modelops.api.deployment.RolloutStrategy;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.VersionPhase;
import dev.modelops.operator.FakeDeploymentController;
import dev.modelops.operator.FakeJobController;
import dev.modelops.operator.IndexedMockApiServer;
import dev.modelops.operator.version.ValidationJobPlanner;
import dev.modelops.operator.version.Versions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A benchmark, not a test (surefire does not pick it up by name): creates 1,000 ModelDeployments pinned to Ready
 * versions on the mock API server and prints the time until every one is Healthy, the writes the operator sends once
 * all is settled (at rest, and when every deployment is reconciled again), and the heap in use.
 *
 * <pre>./mvnw -B -pl operator test -Dtest=DeploymentScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * The API server is the Fabric8 mock server with an index by name ({@link IndexedMockApiServer}); the stock one tests
 * every stored object on each request and would be most of what is measured. Two heap figures, both after a full
 * GC: the whole test JVM (operator, mock server with every object, fakes), then the operator alone, once the fakes
 * are stopped and the mock server has silently dropped its objects (the operator's caches stay as they were).
 */
@QuarkusTest
@QuarkusTestResource(value = IndexedMockApiServer.class, restrictToAnnotatedClass = true)
class DeploymentScaleBenchmark {

    private static final int DEPLOYMENTS = Integer.getInteger("bench.deployments", 1000);
    private static final int MODELS = 50;

    @Inject
    KubernetesClient client;

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    @Test
    void thousandDeployments() throws Exception {
        String ns = client.getNamespace();
        FakeJobController jobs = new FakeJobController(client, ValidationJobPlanner.CONTAINER);
        for (int m = 0; m < MODELS; m++) {
            ModelVersion v = Versions.version("bench" + m, 1);
            v.getMetadata().setNamespace(ns);
            v.getMetadata().setUid(null);
            v.getMetadata().setGeneration(null);
            client.resource(v).create();
        }
        for (int m = 0; m < MODELS; m++) {
            String name = "bench" + m + "-v1-validate-1";
            await().atMost(Duration.ofMinutes(2)).until(() -> jobs.job(ns, name) != null);
            Job job = jobs.job(ns, name);
            jobs.succeed(job, jobs.start(job), Versions.okReport());
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> client.resources(ModelVersion.class).inNamespace(ns).list()
                .getItems().stream().allMatch(v -> v.getStatus() != null
                        && v.getStatus().getPhase() == VersionPhase.Ready));
        drain();
        System.gc();
        Thread.sleep(500);
        System.gc();
        long idleHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();

        try (FakeDeploymentController kube = new FakeDeploymentController(client)) {
            Map<Long, Long> cpuBefore = threadCpu();
            long start = System.nanoTime();
            // As `kubectl apply -f dir/` with many files, or Argo CD, would: several creates in flight at once.
            java.util.concurrent.ExecutorService creators = java.util.concurrent.Executors.newFixedThreadPool(8,
                    r -> new Thread(r, "bench-creator"));
            for (int i = 0; i < DEPLOYMENTS; i++) {
                int n = i;
                creators.submit(() -> {
                    ModelDeploymentSpec spec = new ModelDeploymentSpec();
                    spec.setModel("bench" + (n % MODELS));
                    spec.setVersion(1);
                    spec.setReplicas(1);
                    RolloutSpec rollout = new RolloutSpec();
                    rollout.setStrategy(RolloutStrategy.Immediate);
                    spec.setRollout(rollout);
                    ModelDeployment md = new ModelDeployment();
                    md.setMetadata(new ObjectMetaBuilder().withName("md" + n).withNamespace(ns).build());
                    md.setSpec(spec);
                    client.resource(md).create();
                });
            }
            creators.shutdown();
            while (!creators.awaitTermination(1, TimeUnit.SECONDS)) {
                drain();
            }
            long created = System.nanoTime();
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                drain();
                List<ModelDeployment> all = client.resources(ModelDeployment.class).inNamespace(ns).list()
                        .getItems();
                return all.stream().filter(md -> md.getStatus() != null
                        && md.getStatus().getPhase() == DeploymentPhase.Healthy).count() == DEPLOYMENTS;
            });
            long settled = System.nanoTime();
            double deploymentPasses = reconciliationsStarted("md");
            double versionPasses = reconciliationsStarted("bench");
            Map<String, Double> cpu = cpuByThreadGroup(cpuBefore);
            drain();
            Map<String, Long> toHealthy = new java.util.TreeMap<>(requests);
            Thread.sleep(2000);
            drain();
            Thread.sleep(10_000);
            long atRest = writes();

            // Every deployment reconciled again (an annotation is a request): none may write.
            for (int i = 0; i < DEPLOYMENTS; i++) {
                client.resources(ModelDeployment.class).inNamespace(ns).withName("md" + i).edit(md -> {
                    md.getMetadata().setAnnotations(Map.of("bench/resync", "1"));
                    return md;
                });
            }
            Thread.sleep(15_000);
            long resync = writes() - DEPLOYMENTS;

            System.gc();
            Thread.sleep(500);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            // The operator's own share: the fakes stop (their caches go) and the mock server forgets what it stores
            // without telling anyone (no watch events), so the operator keeps its caches exactly as they are at rest.
            kube.close();
            long stored = IndexedMockApiServer.forgetStoredObjects();
            drain();
            System.gc();
            Thread.sleep(500);
            System.gc();
            long operatorHeap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("%nBENCHMARK deployments=%d models=%d%n", DEPLOYMENTS, MODELS);
            System.out.printf("BENCHMARK create requests sent in %.1f s%n", (created - start) / 1e9);
            System.out.printf("BENCHMARK time to steady state (all Healthy) %.1f s%n", (settled - start) / 1e9);
            System.out.printf("BENCHMARK writes at rest over 10 s: %d%n", atRest);
            System.out.printf("BENCHMARK operator writes when all %d are reconciled again: %d%n", DEPLOYMENTS, resync);
            System.out.printf("BENCHMARK heap in use after GC (operator + mock API server + fakes): %d MB%n",
                    heap / (1024 * 1024));
            System.out.printf("BENCHMARK heap in use after GC before the first deployment (the Quarkus test JVM, the "
                    + "operator idle, %d versions stored): %d MB%n", MODELS, idleHeap / (1024 * 1024));
            System.out.printf("BENCHMARK heap in use after GC, the operator alone (the mock server's %d objects and "
                    + "the fakes' caches released): %d MB%n", stored, operatorHeap / (1024 * 1024));
            System.out.printf("BENCHMARK requests to the API server until all Healthy (validation setup included):%n");
            toHealthy.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(20)
                    .forEach(e -> System.out.printf("BENCHMARK   %-45s %7d%n", e.getKey(), e.getValue()));
            System.out.printf("BENCHMARK reconciliations until all Healthy: %.1f per ModelDeployment, %.1f per "
                    + "ModelVersion (validation included)%n", deploymentPasses / DEPLOYMENTS, versionPasses / MODELS);
            System.out.printf("BENCHMARK CPU from the first create to all Healthy, by thread group (s):%n");
            cpu.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
                    .forEach(e -> System.out.printf("BENCHMARK   %-45s %6.1f%n", e.getKey(), e.getValue()));
        }
    }

    /** The SDK's count of reconciliations started, summed over the resources whose name starts so. */
    private double reconciliationsStarted(String namePrefix) {
        return meters.getMeters().stream().filter(m -> m.getId().getName().equals(
                "operator.sdk.reconciliations.started") && m instanceof io.micrometer.core.instrument.Counter
                && String.valueOf(m.getId().getTag("name")).startsWith(namePrefix))
                .mapToDouble(m -> ((io.micrometer.core.instrument.Counter) m).count()).sum();
    }

    /** CPU time used so far by each live thread. */
    private static Map<Long, Long> threadCpu() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new java.util.HashMap<>();
        for (long id : threads.getAllThreadIds()) {
            long t = threads.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, t);
            }
        }
        return cpu;
    }

    /**
     * CPU seconds used since {@code before}, summed by thread name with its numbers dropped: the operator's
     * reconcilers (the SDK's executor, {@code pool-N-thread-N}), the mock API server's and the clients' event loops, the fakes. Threads
     * that ended meanwhile are not counted.
     */
    private static Map<String, Double> cpuByThreadGroup(Map<Long, Long> before) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Double> groups = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long now = threads.getThreadCpuTime(info.getThreadId());
            if (now < 0) {
                continue;
            }
            long used = now - before.getOrDefault(info.getThreadId(), 0L);
            groups.merge(info.getThreadName().replaceAll("\\d+", "N"), used / 1e9, Double::sum);
        }
        return groups;
    }

    /** Requests the mock server answered, by method and resource (operator and fakes share one client here). */
    private final Map<String, Long> requests = new java.util.TreeMap<>();

    /** Forgets the requests the mock server recorded (it would otherwise keep them in memory), counting them. */
    private void drain() throws InterruptedException {
        for (RecordedRequest r = IndexedMockApiServer.server().takeRequest(1,
                TimeUnit.MILLISECONDS); r != null; r = IndexedMockApiServer.server().takeRequest(1,
                        TimeUnit.MILLISECONDS)) {
            requests.merge(r.getMethod() + " " + resource(r.getPath()), 1L, Long::sum);
        }
    }

    /** "deployments", "modeldeployments/status", "pods (list)" ... from a request path. */
    static String resource(String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
        String[] parts = p.split("/");
        int ns = java.util.Arrays.asList(parts).indexOf("namespaces");
        String rest;
        if (ns >= 0 && parts.length > ns + 2) {
            rest = String.join("/", java.util.Arrays.copyOfRange(parts, ns + 2, parts.length));
        } else {
            rest = parts.length == 0 ? p : parts[parts.length - 1];
        }
        String[] r = rest.split("/");
        String kind = r[0] + (r.length > 2 ? "/" + r[2] : "");
        return kind + (r.length == 1 ? (query.contains("watch=true") ? " (watch)" : " (list)") : "");
    }

    /** Writes recorded since the last drain, by anything: the operator and the fakes. */
    private long writes() throws InterruptedException {
        long count = 0;
        for (RecordedRequest r = IndexedMockApiServer.server().takeRequest(1,
                TimeUnit.MILLISECONDS); r != null; r = IndexedMockApiServer.server().takeRequest(1,
                        TimeUnit.MILLISECONDS)) {
            if (!r.getMethod().equals("GET")) {
                count++;
            }
        }
        return count;
    }
}
