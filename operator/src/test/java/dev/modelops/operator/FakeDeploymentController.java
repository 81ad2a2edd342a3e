package dev.modelops.operator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.modelops.api.ModelOps;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Plays the API server's defaulting, the Deployment controller and kubelet on the mock API server, which does none
 * of it: fills defaults into new Deployments and Services the way the API server does (so tests prove the operator
 * compares only what it owns), creates a Deployment's pods and reports them ready, and writes Deployment status.
 * A version marked broken never gets ready: its one surge pod fails the way the test chose, the old pods stay. It
 * writes only when something differs, so a settled state stays quiet.
 */
public final class FakeDeploymentController implements AutoCloseable {

    /** How the pods of a broken version fail. */
    public enum Breakage {
        CHECKSUM_MISMATCH, CRASH_LOOP, DEADLINE_EXCEEDED
    }

    private static final String HASH = "pod-template-hash";

    private final KubernetesClient client;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "fake-deployment-controller"));
    private final Map<String, Breakage> broken = new ConcurrentHashMap<>();

    private final io.fabric8.kubernetes.client.informers.SharedIndexInformer<Deployment> deployments;
    private final io.fabric8.kubernetes.client.informers.SharedIndexInformer<Pod> pods;
    private final io.fabric8.kubernetes.client.informers.SharedIndexInformer<Service> services;

    public FakeDeploymentController(KubernetesClient client) {
        this.client = client;
        // Watches, like the real controllers: a pass reads the caches, not whole lists from the server.
        this.deployments = client.apps().deployments().inAnyNamespace().withLabel(ModelOps.LABEL_MANAGED_BY,
                ModelOps.MANAGED_BY).inform();
        this.pods = client.pods().inAnyNamespace().withLabel(ModelOps.LABEL_MANAGED_BY, ModelOps.MANAGED_BY)
                .inform();
        this.services = client.services().inAnyNamespace().withLabel(ModelOps.LABEL_MANAGED_BY,
                ModelOps.MANAGED_BY).inform();
        loop.scheduleWithFixedDelay(this::pass, 50, 100, TimeUnit.MILLISECONDS);
    }

    private final Map<String, Integer> metricsPorts = new ConcurrentHashMap<>();

    /** Pods of {@code track} get 127.0.0.1 as their IP and serve /metrics on {@code port} (a test's server). */
    public void metricsPort(String track, int port) {
        metricsPorts.put(track, port);
    }

    /** Pods of {@code version} of {@code model} never become ready, failing as {@code how}. */
    public void breakVersion(String model, int version, Breakage how) {
        broken.put(model + ":" + version, how);
    }

    @Override
    public void close() {
        loop.shutdownNow();
        deployments.close();
        pods.close();
        services.close();
    }

    private void pass() {
        try {
            for (Service service : services.getStore().list()) {
                try {
                    defaultService(new io.fabric8.kubernetes.api.model.ServiceBuilder(service).build());
                } catch (KubernetesClientException e) {
                    // written meanwhile: the next pass sees the fresh object
                }
            }
            // Pods by namespace and deployment label, so that a pass over many deployments does not scan every pod for
            // each one (the selector is still checked on the candidates).
            Map<String, List<Pod>> podsByDeployment = new java.util.HashMap<>();
            for (Pod pod : pods.getStore().list()) {
                String owner = pod.getMetadata().getLabels() == null
                        ? null
                        : pod.getMetadata().getLabels().get(ModelOps.LABEL_DEPLOYMENT);
                podsByDeployment.computeIfAbsent(pod.getMetadata().getNamespace() + "/" + owner,
                        k -> new java.util.ArrayList<>()).add(pod);
            }
            for (Deployment cached : deployments.getStore().list()) {
                Map<String, String> selector = cached.getSpec().getSelector().getMatchLabels();
                List<Pod> allPods = selector.containsKey(ModelOps.LABEL_DEPLOYMENT)
                        ? podsByDeployment.getOrDefault(
                                cached.getMetadata().getNamespace() + "/" + selector.get(ModelOps.LABEL_DEPLOYMENT),
                                List.of())
                        : pods.getStore().list();
                Deployment deployment = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(cached).build();
                try {
                    if (!defaultDeployment(deployment)) {
                        reconcile(deployment, allPods);
                    }
                } catch (KubernetesClientException e) {
                    // a conflict with the operator's own write: the next pass sees the fresh object
                }
            }
        } catch (KubernetesClientException e) {
            // a conflict with the operator's own write: the next pass sees the fresh object
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }

    /** The API server allocates a cluster IP and sets the session affinity default. */
    private void defaultService(Service service) {
        if (service.getSpec().getClusterIP() != null) {
            return;
        }
        service.getSpec().setClusterIP("10.96.0." + (Math.abs(service.getMetadata().getName().hashCode()) % 250));
        service.getSpec().setSessionAffinity("None");
        service.getSpec().getPorts().forEach(p -> p.setProtocol(p.getProtocol() == null ? "TCP" : p.getProtocol()));
        client.resource(service).update();
    }

    /** The API server fills defaults into the pod template on every write; returns whether it wrote. */
    private boolean defaultDeployment(Deployment deployment) {
        var annotations = deployment.getMetadata().getAnnotations();
        var pod = deployment.getSpec().getTemplate().getSpec();
        if (pod.getContainers().stream().allMatch(c -> c.getImagePullPolicy() != null)) {
            return false;
        }
        pod.setRestartPolicy("Always");
        pod.setDnsPolicy("ClusterFirst");
        pod.setSchedulerName("default-scheduler");
        pod.setTerminationGracePeriodSeconds(30L);
        pod.getContainers().forEach(c -> {
            c.setImagePullPolicy("IfNotPresent");
            c.setTerminationMessagePath("/dev/termination-log");
        });
        pod.getInitContainers().forEach(c -> c.setImagePullPolicy("IfNotPresent"));
        client.resource(deployment).update();
        return true;
    }

    private void reconcile(Deployment deployment, List<Pod> allPods) {
        String ns = deployment.getMetadata().getNamespace();
        var template = deployment.getSpec().getTemplate();
        String hash = templateHash(template);
        int wanted = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
        List<Pod> pods = allPods.stream().filter(p -> ns.equals(p.getMetadata().getNamespace())
                && p.getMetadata().getLabels() != null
                && p.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
        List<Pod> current = pods.stream().filter(p -> hash.equals(p.getMetadata().getLabels().get(HASH))).toList();
        List<Pod> old = pods.stream().filter(p -> !hash.equals(p.getMetadata().getLabels().get(HASH))).toList();
        String model = template.getMetadata().getLabels().get(ModelOps.LABEL_MODEL);
        Breakage breakage = broken.get(model + ":" + template.getMetadata().getLabels().get(ModelOps.LABEL_VERSION));

        DeploymentStatusBuilder status = new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration());
        if (breakage == null) {
            // Like a ReplicaSet, by name: new pods take the lowest free indices and a scale-down removes the highest,
            // so a pod's name is never asked for while it exists. (Creating index current.size() onwards after
            // deleting in cache order left holes: the fake then POSTed an existing name at every pass, a 409 each.)
            java.util.Set<Integer> taken = new java.util.HashSet<>();
            current.forEach(p -> taken.add(podIndex(p)));
            for (int i = 0, missing = wanted - current.size(); missing > 0; i++) {
                if (taken.add(i)) {
                    createPod(deployment, hash, i, null);
                    missing--;
                }
            }
            current.stream().sorted(java.util.Comparator.comparingInt(FakeDeploymentController::podIndex).reversed())
                    .limit(Math.max(0, current.size() - wanted)).forEach(p -> client.resource(p).delete());
            old.forEach(p -> client.resource(p).delete());
            status.withReplicas(wanted).withUpdatedReplicas(wanted).withReadyReplicas(wanted)
                    .withAvailableReplicas(wanted)
                    .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
                            .withReason("MinimumReplicasAvailable").build(),
                            new DeploymentConditionBuilder().withType("Progressing").withStatus("True")
                                    .withReason("NewReplicaSetAvailable").build());
        } else {
            // maxUnavailable 0: one surge pod that never gets ready; every old pod stays and serves.
            if (current.isEmpty()) {
                createPod(deployment, hash, 0, breakage);
            }
            int oldReady = old.size();
            status.withReplicas(oldReady + 1).withUpdatedReplicas(1).withReadyReplicas(oldReady)
                    .withAvailableReplicas(oldReady)
                    .withConditions(new DeploymentConditionBuilder().withType("Progressing")
                            .withStatus(breakage == Breakage.DEADLINE_EXCEEDED ? "False" : "True")
                            .withReason(breakage == Breakage.DEADLINE_EXCEEDED
                                    ? "ProgressDeadlineExceeded"
                                    : "ReplicaSetUpdated")
                            .build());
        }
        DeploymentStatus next = status.build();
        if (!Objects.equals(next, deployment.getStatus())) {
            deployment.setStatus(next);
            client.resource(deployment).updateStatus();
        }
    }

    /** The index a pod of this fake carries at the end of its name ({@code <deployment>-<hash>-<index>}). */
    private static int podIndex(Pod pod) {
        String name = pod.getMetadata().getName();
        return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    }

    /** Like the pod-template-hash: the template as written, without the defaults the API server adds. */
    private static String templateHash(io.fabric8.kubernetes.api.model.PodTemplateSpec template) {
        var copy = new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder(template).build();
        copy.getSpec().getContainers().forEach(c -> {
            c.setImagePullPolicy(null);
            c.setTerminationMessagePath(null);
        });
        copy.getSpec().getInitContainers().forEach(c -> c.setImagePullPolicy(null));
        copy.getSpec().setRestartPolicy(null);
        copy.getSpec().setDnsPolicy(null);
        copy.getSpec().setSchedulerName(null);
        copy.getSpec().setTerminationGracePeriodSeconds(null);
        return Integer.toHexString(Objects.hash(copy.getMetadata().getLabels(), copy.getSpec()));
    }

    private void createPod(Deployment deployment, String hash, int index, Breakage breakage) {
        Map<String, String> labels = new HashMap<>(deployment.getSpec().getTemplate().getMetadata().getLabels());
        labels.put(HASH, hash);
        Pod pod;
        try {
            pod = client.resource(new PodBuilder()
                    .withNewMetadata()
                    .withName(deployment.getMetadata().getName() + "-" + hash + "-" + index)
                    .withNamespace(deployment.getMetadata().getNamespace())
                    .withLabels(labels)
                    .endMetadata()
                    .withSpec(deployment.getSpec().getTemplate().getSpec())
                    .build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Created by an earlier pass whose watch event has not reached this cache yet: not created twice, and
            // the pass goes on (it used to stop here and try the same name again at every pass).
            return;
        }
        Integer port = metricsPorts.get(labels.get(ModelOps.LABEL_TRACK));
        PodStatus status = status(breakage, index);
        if (port != null) {
            pod.getSpec().getContainers().get(0).getPorts().get(0).setContainerPort(port);
            pod = client.resource(pod).update();
            status.setPodIP("127.0.0.1");
        }
        pod.setStatus(status);
        client.resource(pod).updateStatus();
    }

    private static PodStatus status(Breakage breakage, int index) {
        PodStatusBuilder status = new PodStatusBuilder().withPodIP("10.244.0." + (10 + index));
        if (breakage == null) {
            return status.withPhase("Running")
                    .addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .withContainerStatuses(new ContainerStatusBuilder().withName("server").withReady(true)
                            .withNewState().withNewRunning().endRunning().endState().build())
                    .build();
        }
        if (breakage == Breakage.CRASH_LOOP) {
            return status.withPhase("Running")
                    .withContainerStatuses(new ContainerStatusBuilder().withName("server").withReady(false)
                            .withRestartCount(4)
                            .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                            .withNewLastState().withNewTerminated().withExitCode(1)
                            .withMessage("the inference server could not start: model.onnx is not an ONNX model")
                            .endTerminated().endLastState().build())
                    .build();
        }
        if (breakage == Breakage.DEADLINE_EXCEEDED) {
            return status.withPhase("Pending")
                    .withContainerStatuses(new ContainerStatusBuilder().withName("server").withReady(false)
                            .withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState()
                            .build())
                    .build();
        }
        return status.withPhase("Pending")
                .withInitContainerStatuses(new ContainerStatusBuilder().withName("fetch").withReady(false)
                        .withRestartCount(2)
                        .withNewState().withNewTerminated().withExitCode(12)
                        .withMessage("{\"ok\":false,\"reason\":\"ChecksumMismatch\",\"message\":\"sha256 of the "
                                + "fetched file is 1234, spec.artifact.sha256 is abcd\"}")
                        .endTerminated().endState().build())
                .build();
    }

    /** The pods the fake made for a Deployment's selector. */
    public List<Pod> pods(String namespace, Map<String, String> selector) {
        return new ArrayList<>(client.pods().inNamespace(namespace).withLabels(selector).list().getItems());
    }
}
