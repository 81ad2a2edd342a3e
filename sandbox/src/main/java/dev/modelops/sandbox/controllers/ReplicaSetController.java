package dev.modelops.sandbox.controllers;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The ReplicaSet controller: keeps {@code spec.replicas} pods of the template alive (finished or deleted pods are
 * replaced; extra ones go, not-ready first), and reports replicas, ready and available replicas.
 */
public final class ReplicaSetController implements AutoCloseable {

    private final KubernetesClient client;
    private final EventRecorder events;
    private final Reconciler queue;
    private final Random random = new Random();
    private final Map<String, Set<String>> expected = new ConcurrentHashMap<>();
    private SharedIndexInformer<ReplicaSet> replicaSets;
    private SharedIndexInformer<Pod> pods;

    public ReplicaSetController(KubernetesClient client, Clock clock) {
        this.client = client;
        this.events = new EventRecorder(client, "replicaset-controller", clock);
        this.queue = new Reconciler("replicaset-controller", this::reconcile);
    }

    public void start() {
        replicaSets = client.apps().replicaSets().inAnyNamespace().inform(Informers.handler(this::key, queue), 0);
        pods = client.pods().inAnyNamespace().inform(Informers.handler(p -> Informers.controllerKey(p, "ReplicaSet"),
                queue), 0);
    }

    private String key(HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    private void reconcile(String key) {
        ReplicaSet rs = replicaSets.getStore().getByKey(key);
        if (rs == null) {
            return;
        }
        String uid = rs.getMetadata().getUid();
        List<Pod> owned = pods.getStore().list().stream().filter(p -> Informers.ownedBy(p, uid))
                .collect(Collectors.toList());
        Set<String> pending = expected.getOrDefault(uid, Set.of());
        if (!pending.isEmpty()) {
            Set<String> seen = owned.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
            if (!seen.containsAll(pending)) {
                queue.enqueueAfter(key, 100);
                return;
            }
            expected.remove(uid);
        }
        for (Pod p : owned) {
            if (Informers.terminal(p) && p.getMetadata().getDeletionTimestamp() == null) {
                delete(p); // a ReplicaSet's pods run forever: a finished one is replaced
            }
        }
        List<Pod> alive = owned.stream().filter(p -> !Informers.terminal(p)
                && p.getMetadata().getDeletionTimestamp() == null).collect(Collectors.toList());
        int desired = Optional.ofNullable(rs.getSpec().getReplicas()).orElse(1);
        if (alive.size() < desired) {
            for (int i = alive.size(); i < desired; i++) {
                createPod(rs);
            }
        } else if (alive.size() > desired) {
            alive.stream().sorted(Comparator.comparing(Informers::ready)
                    .thenComparing(p -> p.getMetadata().getCreationTimestamp(), Comparator.reverseOrder()))
                    .limit(alive.size() - desired).forEach(p -> {
                        delete(p);
                        events.normal(rs, "SuccessfulDelete", "Deleted pod: " + p.getMetadata().getName());
                    });
        }
        int ready = (int) alive.stream().filter(Informers::ready).count();
        ReplicaSetStatus status = new ReplicaSetStatusBuilder()
                .withReplicas(alive.size())
                .withFullyLabeledReplicas(alive.size())
                .withReadyReplicas(ready)
                .withAvailableReplicas(ready)
                .withObservedGeneration(rs.getMetadata().getGeneration())
                .build();
        if (!status.equals(rs.getStatus())) {
            client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(new ReplicaSetBuilder()
                    .withNewMetadata().withName(rs.getMetadata().getName())
                    .withNamespace(rs.getMetadata().getNamespace()).endMetadata()
                    .withStatus(status).build()).patchStatus();
        }
    }

    private void createPod(ReplicaSet rs) {
        String name = rs.getMetadata().getName() + "-" + Informers.suffix(random);
        Pod pod = new PodBuilder()
                .withNewMetadataLike(rs.getSpec().getTemplate().getMetadata()).withName(name)
                .withNamespace(rs.getMetadata().getNamespace())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
                        .withName(rs.getMetadata().getName()).withUid(rs.getMetadata().getUid()).withController(true)
                        .withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(rs.getSpec().getTemplate().getSpec())
                .build();
        client.pods().inNamespace(rs.getMetadata().getNamespace()).resource(pod).create();
        expected.computeIfAbsent(rs.getMetadata().getUid(), k -> ConcurrentHashMap.newKeySet()).add(name);
        events.normal(rs, "SuccessfulCreate", "Created pod: " + name);
    }

    private void delete(Pod p) {
        client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
    }

    @Override
    public void close() {
        queue.close();
        if (replicaSets != null) {
            replicaSets.close();
        }
        if (pods != null) {
            pods.close();
        }
    }
}
