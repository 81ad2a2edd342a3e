package dev.modelops.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.modelops.api.ModelOps;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The fake Deployment controller that the reconciler tests rely on keeps a Deployment's pods like a ReplicaSet does:
 * after any scaling or a deleted pod it converges on the wanted count and then writes nothing. (It once named new pods
 * by how many it had while deleting surplus ones in cache order; after 7 → 2 → 3 replicas it POSTed an existing name
 * at every pass, which a CI run saw as a flood of writes at rest.)
 */
class FakeDeploymentControllerTest {

    private KubernetesMockServer server;
    private KubernetesClient client;
    private FakeDeploymentController fake;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        fake = new FakeDeploymentController(client);
    }

    @AfterEach
    void stop() {
        fake.close();
        client.close();
        server.destroy();
    }

    @Test
    void scalingUpAndDownAndADeletedPodConvergeAndThenWriteNothing() throws Exception {
        client.resource(deployment(7)).create();
        awaitPods(7);

        for (int replicas : new int[]{2, 3, 5}) {
            client.apps().deployments().inNamespace("test").withName("web").edit(d -> {
                d.getSpec().setReplicas(replicas);
                return d;
            });
            awaitPods(replicas);
            assertQuiet();
        }

        Pod victim = pods().get(0);
        client.resource(victim).delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> pods().stream().anyMatch(p -> p.getMetadata().getName()
                .equals(victim.getMetadata().getName())
                && !p.getMetadata().getUid().equals(victim.getMetadata()
                        .getUid())));
        awaitPods(5);
        assertQuiet();
        assertThat(pods()).extracting(p -> p.getMetadata().getName()).doesNotHaveDuplicates().hasSize(5);
    }

    /**
     * Until the fake has done all it writes for {@code count} replicas: the pods, each pod's status, and the
     * Deployment's status.
     */
    private void awaitPods(int count) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(pods()).hasSize(count).allMatch(p -> p.getStatus() != null && "Running".equals(p.getStatus()
                    .getPhase()));
            Deployment web = client.apps().deployments().inNamespace("test").withName("web").get();
            assertThat(web.getStatus()).isNotNull();
            assertThat(web.getStatus().getObservedGeneration()).isEqualTo(web.getMetadata().getGeneration());
            assertThat(web.getStatus().getReadyReplicas()).isEqualTo(count);
        });
    }

    /** Once all is written: over one second (ten passes of the fake), no write to the API server at all. */
    private void assertQuiet() throws InterruptedException {
        while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            // forget what came before
        }
        List<String> writes = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < end) {
            RecordedRequest request = server.takeRequest(50, TimeUnit.MILLISECONDS);
            if (request != null && !request.getMethod().equals("GET")) {
                writes.add(request.getMethod() + " " + request.getPath());
            }
        }
        assertThat(writes).isEmpty();
    }

    private List<Pod> pods() {
        return client.pods().inNamespace("test").withLabel(ModelOps.LABEL_DEPLOYMENT, "web").list().getItems();
    }

    private static Deployment deployment(int replicas) {
        Map<String, String> labels = Map.of(ModelOps.LABEL_MANAGED_BY, ModelOps.MANAGED_BY, ModelOps.LABEL_DEPLOYMENT,
                "web", ModelOps.LABEL_MODEL, "iris", ModelOps.LABEL_VERSION, "1", ModelOps.LABEL_TRACK, "stable");
        return new DeploymentBuilder().withNewMetadata().withName("web").withNamespace("test").withLabels(labels)
                .endMetadata().withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(Map.of(
                        ModelOps.LABEL_DEPLOYMENT, "web"))
                .endSelector().withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
                .addNewContainer().withName("server").withImage("runtime").endContainer().endSpec().endTemplate()
                .endSpec().build();
    }
}
