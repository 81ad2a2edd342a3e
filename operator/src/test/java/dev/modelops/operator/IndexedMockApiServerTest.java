package dev.modelops.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * The benchmark's indexed mock server answers as the stock one does: the same script of requests (objects of several
 * kinds and namespaces sharing a name, reads, conflicts, patches, status, deletes, label lists, a watch) is run on
 * both, and every answer is compared.
 */
class IndexedMockApiServerTest {

    private final List<KubernetesMockServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(KubernetesMockServer::destroy);
    }

    private KubernetesClient start(io.fabric8.mockwebserver.http.Dispatcher dispatcher) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        servers.add(server);
        return server.createClient();
    }

    @Test
    void answersEveryRequestOfTheScriptAsTheStockServerDoes() throws Exception {
        List<String> stock = script(start(new KubernetesCrudDispatcher(List.of())));
        List<String> indexed = script(start(new IndexedMockApiServer.Dispatcher()));
        assertThat(indexed).hasSizeGreaterThan(20).containsExactlyElementsOf(stock);
    }

    @Test
    void forgettingTheStoreLeavesNothingToRead() {
        IndexedMockApiServer.Dispatcher dispatcher = new IndexedMockApiServer.Dispatcher();
        KubernetesClient client = start(dispatcher);
        client.configMaps().inNamespace("a").resource(configMap("x", "1")).create();
        assertThat(dispatcher.forget()).isEqualTo(1);
        assertThat(client.configMaps().inNamespace("a").withName("x").get()).isNull();
        assertThat(client.configMaps().inNamespace("a").list().getItems()).isEmpty();
    }

    private static ConfigMap configMap(String name, String value) {
        return new ConfigMapBuilder().withNewMetadata().withName(name).addToLabels("app", name).endMetadata()
                .addToData("v", value).build();
    }

    /** What a request gave: the object's text, or the HTTP code it failed with. */
    private static String outcome(java.util.concurrent.Callable<?> request) {
        try {
            Object result = request.call();
            return "ok " + (result instanceof ConfigMap c
                    ? c.getMetadata().getResourceVersion() + " " + c.getData()
                    : result);
        } catch (KubernetesClientException e) {
            return "failed " + e.getCode();
        } catch (Exception e) {
            return "threw " + e.getClass().getSimpleName();
        }
    }

    /** What the client saw at each step, as text. */
    private static List<String> script(KubernetesClient client) throws Exception {
        List<String> seen = new ArrayList<>();
        List<String> events = new CopyOnWriteArrayList<>();
        Function<ConfigMap, String> cm = c -> c == null
                ? "none"
                : c.getMetadata().getNamespace() + "/" + c.getMetadata().getName() + " rv="
                        + c.getMetadata().getResourceVersion() + " " + c.getData();
        try (Watch watch = client.configMaps().inNamespace("a").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName() + " " + resource.getData());
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            for (String ns : List.of("a", "b")) {
                seen.add(cm.apply(client.configMaps().inNamespace(ns).resource(configMap("x", ns)).create()));
                seen.add(cm.apply(client.configMaps().inNamespace(ns).resource(configMap("y", ns)).create()));
            }
            // Another kind with the same name in the same namespace.
            client.services().inNamespace("a").resource(new ServiceBuilder().withNewMetadata().withName("x")
                    .endMetadata().withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();
            seen.add("service " + client.services().inNamespace("a").withName("x").get().getSpec().getPorts());
            seen.add(cm.apply(client.configMaps().inNamespace("a").withName("x").get()));
            seen.add(cm.apply(client.configMaps().inNamespace("b").withName("x").get()));
            seen.add(cm.apply(client.configMaps().inNamespace("a").withName("missing").get()));
            seen.add("create again: "
                    + outcome(() -> client.configMaps().inNamespace("a").resource(configMap("x", "again")).create()));

            ConfigMap current = client.configMaps().inNamespace("a").withName("x").get();
            ConfigMap stale = new ConfigMapBuilder(current).editMetadata().withResourceVersion("12345").endMetadata()
                    .addToData("v", "stale").build();
            seen.add("stale update: " + outcome(() -> client.configMaps().inNamespace("a").resource(stale).update()));
            seen.add(cm.apply(client.configMaps().inNamespace("a").resource(new ConfigMapBuilder(current)
                    .addToData("v", "updated").build()).update()));
            seen.add(cm.apply(client.configMaps().inNamespace("a").withName("x").edit(c -> new ConfigMapBuilder(c)
                    .addToData("w", "edited").build())));
            seen.add("patch missing: "
                    + outcome(() -> client.configMaps().inNamespace("a").withName("missing").edit(c -> c)));

            Deployment d = client.apps().deployments().inNamespace("a").resource(new DeploymentBuilder()
                    .withNewMetadata().withName("x").endMetadata().withNewSpec().withReplicas(1).endSpec().build())
                    .create();
            d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(1)
                    .withReadyReplicas(1).build());
            Deployment withStatus = client.apps().deployments().inNamespace("a").resource(d).updateStatus();
            seen.add("deployment gen=" + withStatus.getMetadata().getGeneration() + " ready="
                    + client.apps().deployments().inNamespace("a").withName("x").get().getStatus()
                            .getReadyReplicas());

            seen.add("list a: " + client.configMaps().inNamespace("a").list().getItems().stream().map(cm).toList());
            seen.add("list app=y: " + client.configMaps().inAnyNamespace().withLabel("app", "y").list().getItems()
                    .stream().map(cm).toList());
            seen.add("delete: " + client.configMaps().inNamespace("a").withName("x").delete().size());
            seen.add("delete missing: " + client.configMaps().inNamespace("a").withName("x").delete().size());
            seen.add(cm.apply(client.configMaps().inNamespace("a").withName("x").get()));
            seen.add(cm.apply(client.configMaps().inNamespace("b").withName("x").get()));
            seen.add(cm.apply(client.configMaps().inNamespace("a").resource(configMap("x", "recreated")).create()));
            seen.add("service still " + client.services().inNamespace("a").withName("x").get().getMetadata()
                    .getName());

            long deadline = System.currentTimeMillis() + 10_000;
            while (events.size() < 6 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
        }
        seen.add("events " + events);
        return seen;
    }
}
