package dev.modelops.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import dev.modelops.contract.RuntimeContract;
import dev.modelops.sandbox.api.SandboxApiServer;
import dev.modelops.sandbox.controllers.DeploymentController;
import dev.modelops.sandbox.controllers.GarbageCollector;
import dev.modelops.sandbox.controllers.JobController;
import dev.modelops.sandbox.controllers.ReplicaSetController;
import dev.modelops.sandbox.controllers.ServiceController;
import dev.modelops.sandbox.kubelet.ImageCatalog;
import dev.modelops.sandbox.kubelet.Kubelet;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Everything the sandbox runs, started in order and stopped in reverse: the embedded API server, the built-in
 * controllers (Jobs, ReplicaSets, Deployments, Services, garbage collection), the local kubelet, and the operator as a child process.
 */
public final class Sandbox implements AutoCloseable {

    public static final String RUNTIME_IMAGE = "ghcr.io/modelops-dev/modelops-runtime";
    public static final String TRAINER_IMAGE = "ghcr.io/modelops-dev/iris-trainer";
    public static final String IMAGE_TAG = "0.1.0";

    /** Keeps the mock server's per-request log quiet; a strong reference, since JUL holds loggers weakly. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    /** Where things are and what to start. */
    public record Options(Path repo, Path workDir, int port, boolean operator) {

        public Path kubeconfig() {
            return workDir.resolve("kubeconfig");
        }

        public Path pvcRoot() {
            return workDir.resolve("pvc");
        }
    }

    private final Options options;
    private final SandboxApiServer api;
    private final KubernetesClient client;
    private final JobController jobs;
    private final ReplicaSetController replicaSets;
    private final DeploymentController deployments;
    private final ServiceController services;
    private final GarbageCollector gc;
    private final Kubelet kubelet;
    private final OperatorProcess operator;

    private Sandbox(Options options) {
        this.options = options;
        MOCK_LOG.setLevel(Level.WARNING);
        Clock clock = Clock.systemUTC();
        try {
            Files.createDirectories(options.workDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ImageCatalog images = images(options.repo());
        api = SandboxApiServer.start(options.port(), clock);
        api.writeKubeconfig(options.kubeconfig());
        client = api.client("controllers");
        jobs = new JobController(client, clock);
        replicaSets = new ReplicaSetController(client, clock);
        deployments = new DeploymentController(client, clock);
        services = new ServiceController(client);
        gc = new GarbageCollector(client, api.resources().all());
        kubelet = new Kubelet(api.client("kubelet"), images, options.workDir(), options.pvcRoot(), clock);
        api.dispatcher().podLogs(kubelet);
        jobs.start();
        replicaSets.start();
        deployments.start();
        services.start();
        gc.start();
        kubelet.start();
        operator = new OperatorProcess(options.repo().resolve("operator/target/quarkus-app/quarkus-run.jar"),
                options.kubeconfig(), options.workDir().resolve("operator.log"),
                Map.of("MODELOPS_RUNTIME_IMAGE", RUNTIME_IMAGE + ":" + IMAGE_TAG));
        if (options.operator()) {
            operator.start();
        }
    }

    public static Sandbox start(Options options) {
        return new Sandbox(options);
    }

    /** The runnable jars that stand for the two images, from the modules' build output. */
    static ImageCatalog images(Path repo) {
        Path runtime = jar(repo.resolve("runtime-image/target"), "modelops-runtime-");
        Path trainer = jar(repo.resolve("samples/iris-trainer/target"), "modelops-iris-trainer-");
        return new ImageCatalog()
                // The runtime's built-in defaults, stated as the image's environment so the kubelet can map paths.
                .add(RUNTIME_IMAGE, runtime, Map.of(
                        RuntimeContract.ENV_HOST, "0.0.0.0",
                        RuntimeContract.ENV_PVC_ROOT, RuntimeContract.PVC_ROOT,
                        RuntimeContract.ENV_MODEL_PATH, RuntimeContract.MODEL_PATH))
                .add(TRAINER_IMAGE, trainer, Map.of());
    }

    private static Path jar(Path dir, String prefix) {
        try (Stream<Path> files = Files.list(dir)) {
            Optional<Path> jar = files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(".jar") && !n.endsWith("-sources.jar")
                        && !n.endsWith("-tests.jar");
            }).findFirst();
            return jar.orElseThrow(() -> new IllegalStateException("no " + prefix + "*.jar in " + dir
                    + ": build first (./mvnw -B -DskipTests install)"));
        } catch (IOException e) {
            throw new IllegalStateException("no " + dir + ": build first (./mvnw -B -DskipTests install)", e);
        }
    }

    public Options options() {
        return options;
    }

    public SandboxApiServer api() {
        return api;
    }

    public KubernetesClient client() {
        return client;
    }

    public OperatorProcess operator() {
        return operator;
    }

    public ServiceController services() {
        return services;
    }

    public Kubelet kubelet() {
        return kubelet;
    }

    @Override
    public void close() {
        operator.close();
        kubelet.close();
        jobs.close();
        deployments.close();
        replicaSets.close();
        services.close();
        gc.close();
        client.close();
        api.close();
    }
}
