package dev.modelops.sandbox.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.modelops.sandbox.api.PodLogSource;
import dev.modelops.sandbox.controllers.EventRecorder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * A local kubelet for the one node of the sandbox: it runs every pod that is not finished as local processes (see
 * {@link PodWorker}), gives each pod its own loopback address, keeps the containers' logs for {@code kubectl logs},
 * and stops a pod's processes when the pod is deleted.
 */
public final class Kubelet implements PodLogSource, AutoCloseable {

    public static final String NODE = "sandbox";

    private final KubernetesClient client;
    private final ImageCatalog images;
    private final Path podsDir;
    private final Path pvcRoot;
    private final Clock clock;
    private final EventRecorder events;
    private final PodAddresses addresses = new PodAddresses();
    private final Map<String, PodWorker> workers = new ConcurrentHashMap<>();
    private SharedIndexInformer<Pod> informer;

    public Kubelet(KubernetesClient client, ImageCatalog images, Path workDir, Path pvcRoot, Clock clock) {
        this.client = client;
        this.images = images;
        this.podsDir = workDir.resolve("pods");
        this.pvcRoot = pvcRoot;
        this.clock = clock;
        this.events = new EventRecorder(client, "kubelet", clock);
    }

    public void start() {
        try {
            Files.createDirectories(podsDir);
            Files.createDirectories(pvcRoot);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (client.nodes().withName(NODE).get() == null) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE)
                    .addToLabels("kubernetes.io/hostname", NODE).addToLabels("kubernetes.io/os", "linux")
                    .addToLabels("modelops.dev/sandbox", "true").endMetadata()
                    .withNewStatus().addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                    .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                    .withMessage("the sandbox kubelet runs pods as local processes").endCondition()
                    .endStatus().build()).create();
        }
        informer = client.pods().inAnyNamespace().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                admit(pod);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                if (pod.getMetadata().getDeletionTimestamp() != null) {
                    stop(pod);
                } else {
                    admit(pod);
                }
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                stop(pod);
            }
        }, 0);
    }

    private void admit(Pod pod) {
        String uid = pod.getMetadata().getUid();
        if (workers.containsKey(uid) || pod.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase) || (pod.getStatus() != null
                && pod.getStatus().getPodIP() != null)) {
            return; // already run (by this kubelet before a restart of the sandbox, or finished)
        }
        Path dir = podsDir.resolve(pod.getMetadata().getNamespace()).resolve(pod.getMetadata().getName() + "-" + uid);
        PodWorker worker = new PodWorker(this, pod, addresses.allocate(), dir);
        if (workers.putIfAbsent(uid, worker) != null) {
            addresses.release(worker.podIp());
            return;
        }
        Thread thread = new Thread(worker, "pod-" + pod.getMetadata().getName());
        thread.setDaemon(true);
        thread.start();
    }

    private void stop(Pod pod) {
        PodWorker worker = workers.remove(pod.getMetadata().getUid());
        if (worker != null) {
            Thread stopper = new Thread(() -> {
                worker.stop();
                addresses.release(worker.podIp());
            }, "stop-" + pod.getMetadata().getName());
            stopper.setDaemon(true);
            stopper.start();
        }
    }

    @Override
    public String read(String namespace, String podName, String container, boolean previous, Integer tailLines) {
        PodWorker worker = workers.values().stream()
                .filter(w -> w.pod().getMetadata().getNamespace().equals(namespace)
                        && w.pod().getMetadata().getName().equals(podName))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("pod \"" + podName
                        + "\" has not been run by the sandbox kubelet"));
        List<String> names = worker.containerNames();
        String name = container;
        if (name == null || name.isEmpty()) {
            List<String> main = worker.pod().getSpec().getContainers().stream().map(c -> c.getName()).toList();
            if (main.size() != 1) {
                throw new IllegalArgumentException("a container name must be specified for pod " + podName
                        + ", choose one of: " + main);
            }
            name = main.get(0);
        } else if (!names.contains(name)) {
            throw new IllegalArgumentException("container " + name + " is not valid for pod " + podName);
        }
        int restart = worker.restartCount(name) - (previous ? 1 : 0);
        if (restart < 0) {
            throw new IllegalArgumentException("previous terminated container \"" + name + "\" in pod \"" + podName
                    + "\" not found");
        }
        Path log = worker.logFile(name, restart);
        try {
            if (!Files.exists(log)) {
                throw new IllegalArgumentException("container \"" + name + "\" in pod \"" + podName
                        + "\" is waiting to start");
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            if (tailLines != null) {
                return PodWorker.tail(log, tailLines, Integer.MAX_VALUE) + "\n";
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    KubernetesClient client() {
        return client;
    }

    ImageCatalog images() {
        return images;
    }

    Path pvcRoot() {
        return pvcRoot;
    }

    EventRecorder events() {
        return events;
    }

    Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    String now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** How many pods have a worker now (running or finished and not deleted). */
    public int pods() {
        return workers.size();
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        List<PodWorker> all = List.copyOf(workers.values());
        workers.clear();
        List<Thread> stoppers = all.stream().map(w -> {
            Thread t = new Thread(w::stop, "stop-" + w.pod().getMetadata().getName());
            t.start();
            return t;
        }).toList();
        for (Thread t : stoppers) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
