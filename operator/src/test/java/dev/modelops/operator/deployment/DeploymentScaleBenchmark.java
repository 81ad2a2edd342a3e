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
import dev.modelops.operator.version.ValidationJobPlanner;
import dev.modelops.operator.version.Versions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * A benchmark, not a test (surefire does not pick it up by name): creates 1,000 ModelDeployments pinned to Ready
 * versions on the mock API server and prints the time until every one is Healthy, the writes the operator sends once
 * all is settled (at rest, and when every deployment is reconciled again), and the heap in use.
 *
 * <pre>./mvnw -B -pl operator test -Dtest=DeploymentScaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * The heap figure is the whole test JVM after a full GC — operator, mock API server (which stores every object)
 * and the fake controllers together — so it bounds the operator's own heap from above.
 */
@QuarkusTest
@WithKubernetesTestServer
class DeploymentScaleBenchmark {

    private static final int DEPLOYMENTS = Integer.getInteger("bench.deployments", 1000);
    private static final int MODELS = 50;

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

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
            System.out.printf("%nBENCHMARK deployments=%d models=%d%n", DEPLOYMENTS, MODELS);
            System.out.printf("BENCHMARK create requests sent in %.1f s%n", (created - start) / 1e9);
            System.out.printf("BENCHMARK time to steady state (all Healthy) %.1f s%n", (settled - start) / 1e9);
            System.out.printf("BENCHMARK writes at rest over 10 s: %d%n", atRest);
            System.out.printf("BENCHMARK operator writes when all %d are reconciled again: %d%n", DEPLOYMENTS, resync);
            System.out.printf("BENCHMARK heap in use after GC (operator + mock API server + fakes): %d MB%n",
                    heap / (1024 * 1024));
            System.out.printf("BENCHMARK requests to the API server until all Healthy (validation setup included):%n");
            toHealthy.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(20)
                    .forEach(e -> System.out.printf("BENCHMARK   %-45s %7d%n", e.getKey(), e.getValue()));
            System.out.printf("BENCHMARK CPU from the first create to all Healthy, by thread group (s):%n");
            cpu.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
                    .forEach(e -> System.out.printf("BENCHMARK   %-45s %6.1f%n", e.getKey(), e.getValue()));
        }
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
     * reconcilers ({@code ReconcilerExecutor-*}), the mock API server's and the clients' event loops, the fakes. Threads
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
        for (RecordedRequest r = server.getKubernetesMockServer().takeRequest(1,
                TimeUnit.MILLISECONDS); r != null; r = server.getKubernetesMockServer().takeRequest(1,
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
        for (RecordedRequest r = server.getKubernetesMockServer().takeRequest(1,
                TimeUnit.MILLISECONDS); r != null; r = server.getKubernetesMockServer().takeRequest(1,
                        TimeUnit.MILLISECONDS)) {
            if (!r.getMethod().equals("GET")) {
                count++;
            }
        }
        return count;
    }
}
