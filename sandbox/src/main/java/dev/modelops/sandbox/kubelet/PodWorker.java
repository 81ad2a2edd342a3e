package dev.modelops.sandbox.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.modelops.contract.RuntimeContract;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Runs one pod as local processes: volumes as directories, init containers in order, then the containers, each as
 * {@code java -jar} of its image's jar with the pod's environment and arguments; restarts per restartPolicy; readiness
 * probes; the termination message; and the pod's status written back as a kubelet writes it.
 *
 * <p>
 * A container sees paths as in its image: every mount path, and the termination message path, is laid out under the
 * pod's own root directory, and environment values and arguments that name such paths are rewritten to it (the
 * sandbox has no mount namespaces).
 */
final class PodWorker implements Runnable {

    private static final int MESSAGE_LIMIT = 4096;
    private static final int FALLBACK_LOG_LINES = 80;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(20);
    private static final Pattern VAR_REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

    private final Kubelet kubelet;
    private final Pod pod;
    private final String namespace;
    private final String name;
    private final String podIp;
    private final Path dir;
    private final Path rootfs;
    private final Map<String, ContainerStatus> initStatuses = new LinkedHashMap<>();
    private final Map<String, ContainerStatus> statuses = new LinkedHashMap<>();
    private final Map<String, Process> processes = new ConcurrentHashMap<>();
    private final Map<String, String> mountSources = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private volatile boolean stopping;
    private volatile Thread thread;
    private String phase = "Pending";
    private String podReason;
    private String podMessage;
    private boolean initialized;
    private PodStatus lastWritten;
    private final String startTime;

    PodWorker(Kubelet kubelet, Pod pod, String podIp, Path dir) {
        this.kubelet = kubelet;
        this.pod = pod;
        this.namespace = pod.getMetadata().getNamespace();
        this.name = pod.getMetadata().getName();
        this.podIp = podIp;
        this.dir = dir;
        this.rootfs = dir.resolve("rootfs");
        this.startTime = kubelet.now();
        for (Container c : initContainers()) {
            initStatuses.put(c.getName(), waiting(c, "PodInitializing", null, 0));
        }
        for (Container c : pod.getSpec().getContainers()) {
            statuses.put(c.getName(), waiting(c, initContainers().isEmpty() ? "ContainerCreating" : "PodInitializing",
                    null, 0));
        }
    }

    String podIp() {
        return podIp;
    }

    Pod pod() {
        return pod;
    }

    Path logFile(String container, int restart) {
        return dir.resolve("logs").resolve(container + "-" + restart + ".log");
    }

    synchronized int restartCount(String container) {
        ContainerStatus s = statuses.containsKey(container) ? statuses.get(container) : initStatuses.get(container);
        return s == null || s.getRestartCount() == null ? 0 : s.getRestartCount();
    }

    List<String> containerNames() {
        List<String> names = new ArrayList<>();
        initContainers().forEach(c -> names.add(c.getName()));
        pod.getSpec().getContainers().forEach(c -> names.add(c.getName()));
        return names;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            Files.createDirectories(dir.resolve("logs"));
            bind();
            writeStatus();
            kubelet.events().normal(pod, "Scheduled",
                    "Successfully assigned " + namespace + "/" + name + " to " + Kubelet.NODE + " (pod IP " + podIp
                            + ")");
            String volumeProblem = prepareVolumes();
            if (volumeProblem != null) {
                failPod("FailedMount", volumeProblem);
                return;
            }
            for (Container c : initContainers()) {
                if (!runInit(c)) {
                    return;
                }
            }
            synchronized (this) {
                initialized = true;
            }
            List<Thread> runners = new ArrayList<>();
            for (Container c : pod.getSpec().getContainers()) {
                Thread t = new Thread(() -> runContainer(c), "pod-" + name + "-" + c.getName());
                t.setDaemon(true);
                runners.add(t);
                t.start();
            }
            for (Thread t : runners) {
                t.join();
            }
            if (!stopping) {
                finishPod();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            failPod("SandboxError", "the sandbox could not prepare the pod: " + e.getMessage());
        } finally {
            killAll();
        }
    }

    /** What the scheduler does on a cluster: the pod is bound to the one node there is. */
    private void bind() {
        try {
            kubelet.client().pods().inNamespace(namespace).withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"nodeName\":\"" + Kubelet.NODE + "\"}}");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                stop();
            }
        }
    }

    /** Stops every process of the pod: SIGTERM, then SIGKILL after the grace period (at most 10 s here). */
    void stop() {
        stopping = true;
        killAll();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private void killAll() {
        long grace = Math.min(10, Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(30L));
        for (Process p : processes.values()) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(grace, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        processes.clear();
    }

    private List<Container> initContainers() {
        return pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
    }

    private String restartPolicy() {
        return Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
    }

    // ---- volumes ----

    /** Lays out every volume as a directory and the pod's root with a link per mount; null or what went wrong. */
    private String prepareVolumes() throws IOException {
        Map<String, Path> volumes = new LinkedHashMap<>();
        for (Volume v : Optional.ofNullable(pod.getSpec().getVolumes()).orElse(List.of())) {
            Path path;
            if (v.getEmptyDir() != null) {
                path = Files.createDirectories(dir.resolve("volumes").resolve(v.getName()));
            } else if (v.getPersistentVolumeClaim() != null) {
                path = Files.createDirectories(kubelet.pvcRoot().resolve(v.getPersistentVolumeClaim().getClaimName()));
            } else if (v.getSecret() != null) {
                Secret secret = kubelet.client().secrets().inNamespace(namespace)
                        .withName(v.getSecret().getSecretName()).get();
                if (secret == null) {
                    return "MountVolume.SetUp failed for volume \"" + v.getName() + "\": secret \""
                            + v.getSecret().getSecretName() + "\" not found";
                }
                path = Files.createDirectories(dir.resolve("volumes").resolve(v.getName()));
                for (Map.Entry<String, String> e : secretData(secret).entrySet()) {
                    Files.writeString(path.resolve(e.getKey()), e.getValue());
                }
            } else if (v.getConfigMap() != null) {
                ConfigMap cm = kubelet.client().configMaps().inNamespace(namespace)
                        .withName(v.getConfigMap().getName()).get();
                if (cm == null) {
                    return "MountVolume.SetUp failed for volume \"" + v.getName() + "\": configmap \""
                            + v.getConfigMap().getName() + "\" not found";
                }
                path = Files.createDirectories(dir.resolve("volumes").resolve(v.getName()));
                for (Map.Entry<String, String> e : Optional.ofNullable(cm.getData()).orElse(Map.of()).entrySet()) {
                    Files.writeString(path.resolve(e.getKey()), e.getValue());
                }
            } else {
                return "volume \"" + v.getName() + "\": the sandbox supports emptyDir, persistentVolumeClaim, secret "
                        + "and configMap volumes only";
            }
            volumes.put(v.getName(), path);
        }
        List<Container> all = new ArrayList<>(initContainers());
        all.addAll(pod.getSpec().getContainers());
        for (Container c : all) {
            Path terminationFile = rootfs.resolve(Objects.requireNonNullElse(c.getTerminationMessagePath(),
                    "/dev/termination-log").replaceFirst("^/+", ""));
            Files.createDirectories(terminationFile.getParent());
            mountSources.put(Objects.requireNonNullElse(c.getTerminationMessagePath(), "/dev/termination-log"),
                    terminationFile.toString());
            for (VolumeMount m : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
                Path source = volumes.get(m.getName());
                if (source == null) {
                    return "container \"" + c.getName() + "\": volume mount \"" + m.getName()
                            + "\" names no volume of the pod";
                }
                if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
                    source = Files.createDirectories(source.resolve(m.getSubPath()));
                }
                mountSources.put(m.getMountPath(), source.toString());
                Path link = rootfs.resolve(m.getMountPath().replaceFirst("^/+", ""));
                Files.createDirectories(link.getParent());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, source);
                }
            }
        }
        return null;
    }

    /** A path the container names, as it lies on this machine; other values unchanged. */
    String translate(String value) {
        if (value == null || !value.startsWith("/")) {
            return value;
        }
        for (String mount : mountSources.keySet()) {
            if (value.equals(mount) || value.startsWith(mount + "/") || mount.startsWith(value + "/")) {
                return rootfs + value;
            }
        }
        return value;
    }

    // ---- containers ----

    private boolean runInit(Container c) throws InterruptedException {
        Duration backoff = Duration.ofSeconds(1);
        while (!stopping) {
            int exit = runOnce(c, true);
            if (exit == 0) {
                return true;
            }
            if (stopping) {
                return false;
            }
            if (exit == Integer.MIN_VALUE || "Never".equals(restartPolicy())) {
                finishPod();
                return false;
            }
            backoff = backOff(c, true, backoff);
        }
        return false;
    }

    private void runContainer(Container c) {
        Duration backoff = Duration.ofSeconds(1);
        try {
            while (!stopping) {
                int exit = runOnce(c, false);
                if (stopping || exit == Integer.MIN_VALUE) {
                    return;
                }
                boolean restart = switch (restartPolicy()) {
                    case "Never" -> false;
                    case "OnFailure" -> exit != 0;
                    default -> true;
                };
                if (!restart) {
                    return;
                }
                backoff = backOff(c, false, backoff);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Duration backOff(Container c, boolean init, Duration backoff) throws InterruptedException {
        synchronized (this) {
            Map<String, ContainerStatus> map = init ? initStatuses : statuses;
            ContainerStatus s = map.get(c.getName());
            map.put(c.getName(), new ContainerStatusBuilder(s)
                    .withRestartCount(s.getRestartCount() + 1)
                    .withLastState(s.getState())
                    .withState(new ContainerStateBuilder().withNewWaiting().withReason("CrashLoopBackOff")
                            .withMessage("back-off " + backoff.toSeconds() + "s restarting failed container="
                                    + c.getName() + " pod=" + name)
                            .endWaiting().build())
                    .withReady(false).withStarted(false)
                    .build());
        }
        writeStatus();
        kubelet.events().warning(pod, "BackOff", "Back-off restarting container " + c.getName());
        Thread.sleep(backoff.toMillis());
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
    }

    /**
     * A container that cannot run here. With restartPolicy Never the pod fails with the reason (a Job then counts the
     * failure); otherwise the container waits with it, as a node waits on an image it cannot pull, so a ReplicaSet
     * does not replace the pod in a loop.
     */
    private int cannotRun(Container c, boolean init, String reason, String message) throws InterruptedException {
        kubelet.events().warning(pod, "Failed", message);
        if ("Never".equals(restartPolicy())) {
            synchronized (this) {
                podReason = reason;
                podMessage = message;
            }
            terminated(c, init, 128, reason, message, null);
            return Integer.MIN_VALUE;
        }
        synchronized (this) {
            Map<String, ContainerStatus> map = init ? initStatuses : statuses;
            map.put(c.getName(), waiting(c, reason, message, map.get(c.getName()).getRestartCount()));
        }
        writeStatus();
        while (!stopping) {
            Thread.sleep(1000);
        }
        return Integer.MIN_VALUE;
    }

    /** Runs the container once; its exit code, or Integer.MIN_VALUE when it cannot run at all. */
    private int runOnce(Container c, boolean init) throws InterruptedException {
        Optional<ImageCatalog.Image> image = kubelet.images().find(c.getImage());
        if (image.isEmpty()) {
            return cannotRun(c, init, "ImageNotInSandbox", "image \"" + c.getImage() + "\" is not one this sandbox "
                    + "can run: it has no registry and no container engine, and runs only " + kubelet.images()
                            .describe()
                    + " (as local processes)");
        }
        if (c.getCommand() != null && !c.getCommand().isEmpty()) {
            return cannotRun(c, init, "EntrypointOverride", "container \"" + c.getName()
                    + "\" overrides the entrypoint of " + c.getImage() + " with " + c.getCommand()
                    + "; the sandbox runs an image's own entrypoint (its jar) only");
        }
        Map<String, String> env;
        while (true) {
            try {
                env = environment(c, image.get());
                break;
            } catch (IllegalStateException e) {
                synchronized (this) {
                    Map<String, ContainerStatus> map = init ? initStatuses : statuses;
                    map.put(c.getName(), waiting(c, "CreateContainerConfigError", e.getMessage(),
                            map.get(c.getName()).getRestartCount()));
                }
                writeStatus();
                if (stopping) {
                    return Integer.MIN_VALUE;
                }
                Thread.sleep(2000);
            }
        }
        int restart = restartCount(c.getName());
        Path log = logFile(c.getName(), restart);
        String terminationPath = Objects.requireNonNullElse(c.getTerminationMessagePath(), "/dev/termination-log");
        Path terminationFile = rootfs.resolve(terminationPath.replaceFirst("^/+", ""));
        List<String> command = new ArrayList<>();
        command.add(kubelet.java().toString());
        command.add("-XX:+UseSerialGC");
        command.add("-Xss4m"); // ONNX Runtime 1.29 needs a larger stack while loading (see the runtime's README)
        command.add("-Xmx" + heapMegabytes(c) + "m");
        String tmp = mountSources.containsKey("/tmp") ? rootfs.resolve("tmp").toString() : null;
        try {
            Files.createDirectories(terminationFile.getParent());
            Files.deleteIfExists(terminationFile);
            Path home = Files.createDirectories(dir.resolve("home").resolve(c.getName()));
            if (tmp == null) {
                tmp = Files.createDirectories(dir.resolve("tmp")).toString();
            }
            command.add("-Djava.io.tmpdir=" + tmp);
            command.add("-Duser.home=" + home);
            env.put("HOME", home.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        command.add("-jar");
        command.add(image.get().jar().toString());
        for (String arg : Optional.ofNullable(c.getArgs()).orElse(List.of())) {
            command.add(translate(expand(arg, env)));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        Process process;
        String started = kubelet.now();
        try {
            process = builder.start();
        } catch (IOException e) {
            terminated(c, init, 128, "StartError", "cannot start " + command.get(0) + ": " + e.getMessage(), null);
            return Integer.MIN_VALUE;
        }
        if (stopping) {
            process.destroyForcibly();
            return Integer.MIN_VALUE;
        }
        processes.put(c.getName(), process);
        String containerId = "sandbox://" + process.pid();
        synchronized (this) {
            Map<String, ContainerStatus> map = init ? initStatuses : statuses;
            ContainerStatus s = map.get(c.getName());
            map.put(c.getName(), new ContainerStatusBuilder(s)
                    .withImageID(image.get().imageId())
                    .withContainerID(containerId)
                    .withState(new ContainerStateBuilder().withNewRunning().withStartedAt(started).endRunning()
                            .build())
                    .withStarted(true)
                    .withReady(!init && c.getReadinessProbe() == null)
                    .build());
        }
        writeStatus();
        kubelet.events().normal(pod, "Started", "Started container " + c.getName() + " (" + image.get().jar()
                .getFileName() + ", pid " + process.pid() + ")");
        Thread prober = null;
        if (!init && c.getReadinessProbe() != null) {
            prober = new Thread(() -> probe(c, process), "probe-" + name + "-" + c.getName());
            prober.setDaemon(true);
            prober.start();
        }
        int exit = process.waitFor();
        processes.remove(c.getName(), process);
        if (prober != null) {
            prober.interrupt();
        }
        if (stopping) {
            return exit;
        }
        String message = readTerminationMessage(terminationFile);
        if ((message == null || message.isBlank()) && exit != 0
                && "FallbackToLogsOnError".equals(c.getTerminationMessagePolicy())) {
            message = tail(log, FALLBACK_LOG_LINES, 2048);
        }
        terminated(c, init, exit, exit == 0 ? "Completed" : "Error", message, started);
        return exit;
    }

    private void probe(Container c, Process process) {
        Probe probe = c.getReadinessProbe();
        int period = Math.max(1, Optional.ofNullable(probe.getPeriodSeconds()).orElse(10));
        int failureThreshold = Math.max(1, Optional.ofNullable(probe.getFailureThreshold()).orElse(3));
        int successThreshold = Math.max(1, Optional.ofNullable(probe.getSuccessThreshold()).orElse(1));
        int timeout = Math.max(1, Optional.ofNullable(probe.getTimeoutSeconds()).orElse(1));
        int successes = 0;
        int failures = 0;
        boolean ready = false;
        try {
            Thread.sleep(Optional.ofNullable(probe.getInitialDelaySeconds()).orElse(0) * 1000L);
            while (process.isAlive() && !stopping) {
                boolean ok = probeOnce(c, probe, timeout);
                successes = ok ? successes + 1 : 0;
                failures = ok ? 0 : failures + 1;
                boolean next = ready ? failures < failureThreshold : successes >= successThreshold;
                if (next != ready) {
                    ready = next;
                    setReady(c, ready);
                }
                // Until ready, probe every second so a pod is not held back by a long period (a sandbox shortcut).
                Thread.sleep((ready ? period : Math.min(period, 1)) * 1000L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean probeOnce(Container c, Probe probe, int timeoutSeconds) {
        try {
            if (probe.getHttpGet() != null) {
                int port = port(c, probe.getHttpGet().getPort());
                String path = Objects.requireNonNullElse(probe.getHttpGet().getPath(), "/");
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://" + podIp + ":" + port + path)).timeout(Duration.ofSeconds(timeoutSeconds))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                return response.statusCode() >= 200 && response.statusCode() < 400;
            }
            if (probe.getTcpSocket() != null) {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(podIp, port(c, probe.getTcpSocket().getPort())),
                            timeoutSeconds * 1000);
                    return true;
                }
            }
            return false; // exec and gRPC probes: not supported here, so never ready
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int port(Container c, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        for (ContainerPort p : Optional.ofNullable(c.getPorts()).orElse(List.of())) {
            if (port.getStrVal().equals(p.getName())) {
                return p.getContainerPort();
            }
        }
        throw new IllegalArgumentException("no container port named " + port.getStrVal());
    }

    private void setReady(Container c, boolean ready) {
        synchronized (this) {
            ContainerStatus s = statuses.get(c.getName());
            if (s.getState() == null || s.getState().getRunning() == null) {
                return;
            }
            statuses.put(c.getName(), new ContainerStatusBuilder(s).withReady(ready).build());
        }
        writeStatus();
    }

    private int heapMegabytes(Container c) {
        Quantity limit = c.getResources() == null || c.getResources().getLimits() == null
                ? null
                : c.getResources().getLimits().get("memory");
        if (limit == null) {
            return 256;
        }
        long bytes = Quantity.getAmountInBytes(limit).longValue();
        return (int) Math.max(64, bytes / 2 / (1024 * 1024));
    }

    // ---- environment ----

    private Map<String, String> environment(Container c, ImageCatalog.Image image) {
        Map<String, String> env = new LinkedHashMap<>(image.env());
        env.put("HOSTNAME", Objects.requireNonNullElse(pod.getSpec().getHostname(), name));
        for (EnvFromSource from : Optional.ofNullable(c.getEnvFrom()).orElse(List.of())) {
            String prefix = Objects.requireNonNullElse(from.getPrefix(), "");
            if (from.getSecretRef() != null) {
                Secret secret = kubelet.client().secrets().inNamespace(namespace)
                        .withName(from.getSecretRef().getName()).get();
                if (secret == null) {
                    if (Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
                        continue;
                    }
                    throw new IllegalStateException("secret \"" + from.getSecretRef().getName() + "\" not found");
                }
                secretData(secret).forEach((k, v) -> env.put(prefix + k, v));
            }
            if (from.getConfigMapRef() != null) {
                ConfigMap cm = kubelet.client().configMaps().inNamespace(namespace)
                        .withName(from.getConfigMapRef().getName()).get();
                if (cm == null) {
                    if (Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
                        continue;
                    }
                    throw new IllegalStateException("configmap \"" + from.getConfigMapRef().getName()
                            + "\" not found");
                }
                Optional.ofNullable(cm.getData()).orElse(Map.of()).forEach((k, v) -> env.put(prefix + k, v));
            }
        }
        for (EnvVar e : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
            env.put(e.getName(), e.getValueFrom() == null
                    ? expand(Objects.requireNonNullElse(e.getValue(), ""), env)
                    : valueFrom(e));
        }
        env.replaceAll((k, v) -> translate(v));
        // A pod has its own network namespace on a cluster; here its own loopback address stands for it.
        if ("0.0.0.0".equals(env.get(RuntimeContract.ENV_HOST)) || (env.containsKey(RuntimeContract.ENV_HOST)
                && env.get(RuntimeContract.ENV_HOST).isEmpty())) {
            env.put(RuntimeContract.ENV_HOST, podIp);
        }
        return env;
    }

    private String valueFrom(EnvVar e) {
        var from = e.getValueFrom();
        if (from.getFieldRef() != null) {
            String path = from.getFieldRef().getFieldPath();
            Matcher m = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]").matcher(path);
            if (m.matches()) {
                Map<String, String> map = m.group(1).equals("labels")
                        ? pod.getMetadata().getLabels()
                        : pod.getMetadata().getAnnotations();
                return map == null ? "" : Objects.requireNonNullElse(map.get(m.group(2)), "");
            }
            return switch (path) {
                case "metadata.name" -> name;
                case "metadata.namespace" -> namespace;
                case "metadata.uid" -> pod.getMetadata().getUid();
                case "spec.nodeName" -> Kubelet.NODE;
                case "spec.serviceAccountName" -> Objects.requireNonNullElse(pod.getSpec().getServiceAccountName(),
                        "default");
                case "status.podIP", "status.podIPs" -> podIp;
                case "status.hostIP", "status.hostIPs" -> "127.0.0.1";
                default -> throw new IllegalStateException("env " + e.getName() + ": field " + path
                        + " is not supported by the sandbox");
            };
        }
        if (from.getSecretKeyRef() != null) {
            Secret secret = kubelet.client().secrets().inNamespace(namespace)
                    .withName(from.getSecretKeyRef().getName()).get();
            String value = secret == null ? null : secretData(secret).get(from.getSecretKeyRef().getKey());
            if (value == null && !Boolean.TRUE.equals(from.getSecretKeyRef().getOptional())) {
                throw new IllegalStateException(secret == null
                        ? "secret \"" + from.getSecretKeyRef().getName() + "\" not found"
                        : "couldn't find key " + from.getSecretKeyRef().getKey() + " in Secret " + namespace + "/"
                                + from.getSecretKeyRef().getName());
            }
            return Objects.requireNonNullElse(value, "");
        }
        if (from.getConfigMapKeyRef() != null) {
            ConfigMap cm = kubelet.client().configMaps().inNamespace(namespace)
                    .withName(from.getConfigMapKeyRef().getName()).get();
            String value = cm == null || cm.getData() == null
                    ? null
                    : cm.getData().get(from.getConfigMapKeyRef()
                            .getKey());
            if (value == null && !Boolean.TRUE.equals(from.getConfigMapKeyRef().getOptional())) {
                throw new IllegalStateException("configmap \"" + from.getConfigMapKeyRef().getName()
                        + "\" has no key " + from.getConfigMapKeyRef().getKey());
            }
            return Objects.requireNonNullElse(value, "");
        }
        return "";
    }

    private static Map<String, String> secretData(Secret secret) {
        Map<String, String> data = new LinkedHashMap<>();
        Optional.ofNullable(secret.getData()).orElse(Map.of()).forEach((k, v) -> data.put(k,
                new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        Optional.ofNullable(secret.getStringData()).orElse(Map.of()).forEach(data::put);
        return data;
    }

    /** Kubernetes' $(VAR) references to variables defined before; unknown ones stay as written. */
    static String expand(String value, Map<String, String> env) {
        Matcher m = VAR_REF.matcher(value);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String replacement = env.containsKey(m.group(1)) ? env.get(m.group(1)) : m.group();
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    // ---- status ----

    private static ContainerStatus waiting(Container c, String reason, String message, int restarts) {
        return new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
                .withReady(false).withStarted(false).withRestartCount(restarts)
                .withState(new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message)
                        .endWaiting().build())
                .build();
    }

    private void terminated(Container c, boolean init, int exit, String reason, String message, String started) {
        synchronized (this) {
            Map<String, ContainerStatus> map = init ? initStatuses : statuses;
            ContainerStatus s = map.get(c.getName());
            ContainerState state = new ContainerStateBuilder().withNewTerminated()
                    .withExitCode(exit).withReason(reason)
                    .withMessage(message == null || message.isBlank() ? null : message)
                    .withStartedAt(started).withFinishedAt(kubelet.now())
                    .withContainerID(s.getContainerID())
                    .endTerminated().build();
            map.put(c.getName(), new ContainerStatusBuilder(s).withState(state).withReady(false).withStarted(false)
                    .build());
        }
        writeStatus();
    }

    private void finishPod() {
        synchronized (this) {
            boolean allSucceeded = Stream.concat(initStatuses.values().stream(), statuses.values().stream())
                    .allMatch(s -> s.getState().getTerminated() != null
                            && s.getState().getTerminated().getExitCode() == 0);
            phase = allSucceeded ? "Succeeded" : "Failed";
        }
        writeStatus();
    }

    private void failPod(String reason, String message) {
        synchronized (this) {
            phase = "Failed";
            podReason = reason;
            podMessage = message;
        }
        kubelet.events().warning(pod, reason, message);
        writeStatus();
    }

    private synchronized PodStatus status() {
        boolean running = statuses.values().stream().anyMatch(s -> s.getState().getRunning() != null);
        String currentPhase = phase;
        if (currentPhase.equals("Pending") && initialized && running) {
            currentPhase = "Running";
        }
        if (currentPhase.equals("Pending") && podReason != null) {
            currentPhase = "Failed";
        }
        boolean containersReady = statuses.values().stream().allMatch(s -> Boolean.TRUE.equals(s.getReady()));
        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(condition("PodScheduled", true, null));
        conditions.add(condition("Initialized", initialized, initialized ? null : "ContainersNotInitialized"));
        conditions.add(condition("ContainersReady", containersReady, containersReady ? null : "ContainersNotReady"));
        conditions.add(condition("Ready", containersReady, containersReady ? null : "ContainersNotReady"));
        PodStatusBuilder builder = new PodStatusBuilder()
                .withPhase(currentPhase)
                .withConditions(conditions)
                .withHostIP("127.0.0.1")
                .withPodIP(podIp)
                .withPodIPs(new PodIPBuilder().withIp(podIp).build())
                .withStartTime(startTime)
                .withQosClass("BestEffort")
                .withInitContainerStatuses(new ArrayList<>(initStatuses.values()))
                .withContainerStatuses(new ArrayList<>(statuses.values()));
        if (podReason != null) {
            builder.withReason(podReason).withMessage(podMessage);
        }
        return builder.build();
    }

    private PodCondition condition(String type, boolean status, String reason) {
        PodCondition previous = lastWritten == null
                ? null
                : lastWritten.getConditions().stream()
                        .filter(c -> c.getType().equals(type)).findFirst().orElse(null);
        String value = status ? "True" : "False";
        String since = previous != null && previous.getStatus().equals(value)
                ? previous.getLastTransitionTime()
                : kubelet.now();
        return new PodConditionBuilder().withType(type).withStatus(value).withReason(reason)
                .withLastTransitionTime(since).build();
    }

    /** Writes the pod's status when it changed; a pod deleted meanwhile stops the worker. */
    void writeStatus() {
        PodStatus status;
        synchronized (this) {
            status = status();
            if (status.equals(lastWritten)) {
                return;
            }
            lastWritten = status;
        }
        try {
            Pod update = new io.fabric8.kubernetes.api.model.PodBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                    .withStatus(status).build();
            kubelet.client().pods().inNamespace(namespace).resource(update).patchStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                stop();
            }
        }
    }

    private static String readTerminationMessage(Path file) {
        try {
            if (!Files.exists(file)) {
                return null;
            }
            byte[] bytes = Files.readAllBytes(file);
            return new String(bytes, 0, Math.min(bytes.length, MESSAGE_LIMIT), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    static String tail(Path log, int lines, int maxBytes) {
        try {
            if (!Files.exists(log)) {
                return "";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            String text = String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            return text.length() > maxBytes ? text.substring(text.length() - maxBytes) : text;
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}
