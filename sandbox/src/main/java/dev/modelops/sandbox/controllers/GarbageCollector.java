package dev.modelops.sandbox.controllers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.modelops.sandbox.api.ApiResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Owner-reference garbage collection (background propagation): every second, an object whose owners are all gone is
 * deleted, so deleting a ModelTraining deletes its Job, and the Job's deletion its pods.
 */
public final class GarbageCollector implements AutoCloseable {

    private final KubernetesClient client;
    private final List<ApiResource> resources;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "garbage-collector");
        t.setDaemon(true);
        return t;
    });

    public GarbageCollector(KubernetesClient client, List<ApiResource> resources) {
        this.client = client;
        this.resources = resources.stream()
                .filter(r -> !List.of("Event", "Node", "Namespace", "CustomResourceDefinition", "Lease")
                        .contains(r.kind()))
                .toList();
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::collectSafely, 1, 1, TimeUnit.SECONDS);
    }

    private void collectSafely() {
        try {
            collect();
        } catch (KubernetesClientException e) {
            // The next pass tries again.
        }
    }

    void collect() {
        // Dependents are listed before owners: an owner created before its dependent is then always seen.
        List<GenericKubernetesResource> dependents = new ArrayList<>();
        for (ApiResource r : resources) {
            for (GenericKubernetesResource o : list(r)) {
                if (o.getMetadata().getOwnerReferences() != null && !o.getMetadata().getOwnerReferences().isEmpty()) {
                    dependents.add(o);
                }
            }
        }
        if (dependents.isEmpty()) {
            return;
        }
        Set<String> uids = new HashSet<>();
        for (ApiResource r : resources) {
            list(r).forEach(o -> uids.add(o.getMetadata().getUid()));
        }
        for (GenericKubernetesResource o : dependents) {
            boolean orphan = o.getMetadata().getOwnerReferences().stream().map(OwnerReference::getUid)
                    .noneMatch(uids::contains);
            if (orphan) {
                client.genericKubernetesResources(o.getApiVersion(), o.getKind())
                        .inNamespace(o.getMetadata().getNamespace()).withName(o.getMetadata().getName()).delete();
            }
        }
    }

    private List<GenericKubernetesResource> list(ApiResource r) {
        var op = client.genericKubernetesResources(r.apiVersion(), r.kind());
        return r.namespaced() ? op.inAnyNamespace().list().getItems() : op.list().getItems();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
