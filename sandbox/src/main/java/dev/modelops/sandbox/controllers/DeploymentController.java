package dev.modelops.sandbox.controllers;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The Deployment controller: one ReplicaSet per pod template (labelled {@code pod-template-hash}), rolled with
 * RollingUpdate (maxSurge and maxUnavailable honoured against ready pods, so old pods go only as new ones are ready)
 * or Recreate; status replicas, updated, ready, available, observedGeneration and the Available and Progressing
 * conditions, ProgressDeadlineExceeded included.
 */
public final class DeploymentController implements AutoCloseable {

    static final String HASH_LABEL = "pod-template-hash";

    private final KubernetesClient client;
    private final Clock clock;
    private final EventRecorder events;
    private final Reconciler queue;
    private SharedIndexInformer<Deployment> deployments;
    private SharedIndexInformer<ReplicaSet> replicaSets;

    public DeploymentController(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.events = new EventRecorder(client, "deployment-controller", clock);
        this.queue = new Reconciler("deployment-controller", this::reconcile);
    }

    public void start() {
        deployments = client.apps().deployments().inAnyNamespace().inform(Informers.handler(this::key, queue), 0);
        replicaSets = client.apps().replicaSets().inAnyNamespace().inform(Informers.handler(
                rs -> Informers.controllerKey(rs, "Deployment"), queue), 0);
    }

    private String key(HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    private void reconcile(String key) {
        Deployment d = deployments.getStore().getByKey(key);
        if (d == null) {
            return;
        }
        String ns = d.getMetadata().getNamespace();
        String hash = templateHash(d.getSpec().getTemplate());
        List<ReplicaSet> owned = replicaSets.getStore().list().stream()
                .filter(rs -> Informers.ownedBy(rs, d.getMetadata().getUid())).collect(Collectors.toList());
        ReplicaSet existing = owned.stream().filter(rs -> hash.equals(label(rs, HASH_LABEL))).findFirst()
                .orElse(null);
        List<ReplicaSet> old = owned.stream().filter(rs -> rs != existing)
                .sorted(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp()))
                .collect(Collectors.toList());
        int desired = Optional.ofNullable(d.getSpec().getReplicas()).orElse(1);
        boolean recreate = d.getSpec().getStrategy() != null && "Recreate".equals(d.getSpec().getStrategy().getType());
        int maxSurge = recreate ? 0 : resolve(rolling(d, true), desired, true, "25%");
        int maxUnavailable = recreate ? desired : resolve(rolling(d, false), desired, false, "25%");
        if (maxSurge == 0 && maxUnavailable == 0) {
            maxUnavailable = 1;
        }
        boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
        ReplicaSet newRs = existing;

        if (newRs == null && !paused) {
            int initial = recreate && replicasOf(old) > 0
                    ? 0
                    : Math.max(0, Math.min(desired, desired + maxSurge - replicasOf(old)));
            newRs = createReplicaSet(d, hash, initial);
            events.normal(d, "ScalingReplicaSet", "Scaled up replica set " + newRs.getMetadata().getName() + " to "
                    + initial);
            return; // the informer's event brings the next step
        }
        if (newRs != null && !paused) {
            int newReplicas = spec(newRs);
            if (recreate) {
                old.stream().filter(rs -> spec(rs) > 0).forEach(rs -> scale(d, rs, 0));
                if (old.stream().allMatch(rs -> status(rs) == 0) && newReplicas != desired) {
                    scale(d, newRs, desired);
                }
            } else {
                // Up: as far as the surge allows. Down: only as far as ready pods keep the minimum available.
                int total = newReplicas + replicasOf(old);
                if (newReplicas < desired && total < desired + maxSurge) {
                    scale(d, newRs, Math.min(desired, newReplicas + desired + maxSurge - total));
                } else if (newReplicas > desired) {
                    scale(d, newRs, desired);
                }
                int minAvailable = desired - maxUnavailable;
                // A ReplicaSet counts at most spec.replicas ready pods: after a scale-down its status still shows the
                // pods it is about to delete, and counting them would take a second step down at once.
                int available = availableOf(newRs) + old.stream().mapToInt(DeploymentController::availableOf).sum();
                int canRemove = available - minAvailable;
                for (ReplicaSet rs : old) {
                    int unready = Math.max(0, spec(rs) - ready(rs));
                    int remove = Math.min(spec(rs), unready + Math.max(0, canRemove));
                    if (remove > 0) {
                        scale(d, rs, spec(rs) - remove);
                        canRemove -= Math.max(0, remove - unready);
                    }
                }
            }
        }
        writeStatus(d, newRs, old, desired, maxUnavailable);
        queue.enqueueAfter(key, 5000); // progress deadline and readiness changes
    }

    private void writeStatus(Deployment d, ReplicaSet newRs, List<ReplicaSet> old, int desired, int maxUnavailable) {
        List<ReplicaSet> all = new ArrayList<>(old);
        if (newRs != null) {
            all.add(newRs);
        }
        int replicas = all.stream().mapToInt(DeploymentController::status).sum();
        int ready = all.stream().mapToInt(DeploymentController::ready).sum();
        int updated = newRs == null ? 0 : status(newRs);
        int updatedReady = newRs == null ? 0 : ready(newRs);
        DeploymentStatus old0 = Optional.ofNullable(d.getStatus()).orElseGet(DeploymentStatus::new);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        boolean available = ready >= desired - maxUnavailable;
        boolean complete = updated == desired && updatedReady == desired && replicas == desired;
        List<DeploymentCondition> conditions = new ArrayList<>();
        conditions.add(condition(old0, "Available", available ? "True" : "False",
                available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                now, false));
        DeploymentCondition progressing = find(old0, "Progressing");
        String rsName = newRs == null ? "" : newRs.getMetadata().getName();
        int deadline = Optional.ofNullable(d.getSpec().getProgressDeadlineSeconds()).orElse(600);
        boolean progressed = d.getStatus() == null || !Objects.equals(old0.getUpdatedReplicas(), updated)
                || !Objects.equals(old0.getReadyReplicas(), ready) || !Objects.equals(old0.getReplicas(), replicas);
        if (complete) {
            conditions.add(condition(old0, "Progressing", "True", "NewReplicaSetAvailable",
                    "ReplicaSet \"" + rsName + "\" has successfully progressed.", now, progressed));
        } else if (progressing != null && !progressed && ("ProgressDeadlineExceeded".equals(progressing.getReason())
                || progressing.getLastUpdateTime() != null
                        && Instant.parse(progressing.getLastUpdateTime()).plusSeconds(deadline).isBefore(now))) {
            // Once exceeded, it stays so until the rollout makes progress again.
            if (!"ProgressDeadlineExceeded".equals(progressing.getReason())) {
                events.warning(d, "ProgressDeadlineExceeded",
                        "ReplicaSet \"" + rsName + "\" has timed out progressing.");
            }
            conditions.add(condition(old0, "Progressing", "False", "ProgressDeadlineExceeded",
                    "ReplicaSet \"" + rsName + "\" has timed out progressing.", now, false));
        } else {
            conditions.add(condition(old0, "Progressing", "True", "ReplicaSetUpdated",
                    "ReplicaSet \"" + rsName + "\" is progressing.", now, progressed));
        }
        DeploymentStatus status = new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(replicas)
                .withUpdatedReplicas(updated)
                .withReadyReplicas(ready)
                .withAvailableReplicas(ready)
                .withUnavailableReplicas(Math.max(0, desired - ready))
                .withConditions(conditions)
                .build();
        if (!status.equals(d.getStatus())) {
            client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(new DeploymentBuilder()
                    .withNewMetadata().withName(d.getMetadata().getName())
                    .withNamespace(d.getMetadata().getNamespace()).endMetadata().withStatus(status).build())
                    .patchStatus();
        }
    }

    private static DeploymentCondition find(DeploymentStatus status, String type) {
        return Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
                .filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static DeploymentCondition condition(DeploymentStatus old, String type, String status, String reason,
            String message, Instant now, boolean progressed) {
        DeploymentCondition previous = find(old, type);
        boolean same = previous != null && status.equals(previous.getStatus()) && reason.equals(previous.getReason());
        String transition = previous != null && status.equals(previous.getStatus())
                ? previous.getLastTransitionTime()
                : now.toString();
        String update = same && !progressed ? previous.getLastUpdateTime() : now.toString();
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withLastTransitionTime(transition).withLastUpdateTime(update).build();
    }

    private ReplicaSet createReplicaSet(Deployment d, String hash, int replicas) {
        Map<String, String> labels = new LinkedHashMap<>(Optional.ofNullable(d.getSpec().getTemplate().getMetadata()
                .getLabels()).orElse(Map.of()));
        labels.put(HASH_LABEL, hash);
        Map<String, String> selector = new LinkedHashMap<>(Optional.ofNullable(d.getSpec().getSelector())
                .map(s -> s.getMatchLabels()).orElse(Map.of()));
        selector.put(HASH_LABEL, hash);
        PodTemplateSpec template = new PodTemplateSpecBuilder(d.getSpec().getTemplate()).editOrNewMetadata()
                .withLabels(labels).endMetadata().build();
        ReplicaSet rs = new ReplicaSetBuilder()
                .withNewMetadata()
                .withName(d.getMetadata().getName() + "-" + hash)
                .withNamespace(d.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("Deployment")
                        .withName(d.getMetadata().getName()).withUid(d.getMetadata().getUid()).withController(true)
                        .withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(selector).endSelector()
                .withTemplate(template).endSpec()
                .build();
        return client.apps().replicaSets().inNamespace(d.getMetadata().getNamespace()).resource(rs).create();
    }

    private void scale(Deployment d, ReplicaSet rs, int replicas) {
        if (spec(rs) == replicas) {
            return;
        }
        client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).withName(rs.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
        events.normal(d, "ScalingReplicaSet", "Scaled " + (replicas > spec(rs) ? "up" : "down") + " replica set "
                + rs.getMetadata().getName() + " from " + spec(rs) + " to " + replicas);
    }

    private static IntOrString rolling(Deployment d, boolean surge) {
        if (d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getRollingUpdate() == null) {
            return null;
        }
        return surge
                ? d.getSpec().getStrategy().getRollingUpdate().getMaxSurge()
                : d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable();
    }

    /** A count or a percentage of desired: surge rounds up, unavailable rounds down, as Kubernetes does. */
    static int resolve(IntOrString value, int desired, boolean roundUp, String fallback) {
        IntOrString v = value == null ? new IntOrString(fallback) : value;
        if (v.getIntVal() != null) {
            return v.getIntVal();
        }
        double percent = Double.parseDouble(v.getStrVal().replace("%", "")) / 100.0;
        return (int) (roundUp ? Math.ceil(percent * desired) : Math.floor(percent * desired));
    }

    static String templateHash(PodTemplateSpec template) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Serialization.asJson(template).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String label(HasMetadata o, String key) {
        return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(key);
    }

    private static int spec(ReplicaSet rs) {
        return Optional.ofNullable(rs.getSpec().getReplicas()).orElse(1);
    }

    private static int status(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReplicas() == null ? 0 : rs.getStatus().getReplicas();
    }

    private static int ready(ReplicaSet rs) {
        return rs.getStatus() == null || rs.getStatus().getReadyReplicas() == null
                ? 0
                : rs.getStatus().getReadyReplicas();
    }

    private static int availableOf(ReplicaSet rs) {
        return Math.min(ready(rs), spec(rs));
    }

    private static int replicasOf(List<ReplicaSet> sets) {
        return sets.stream().mapToInt(DeploymentController::spec).sum();
    }

    @Override
    public void close() {
        queue.close();
        if (deployments != null) {
            deployments.close();
        }
        if (replicaSets != null) {
            replicaSets.close();
        }
    }
}
