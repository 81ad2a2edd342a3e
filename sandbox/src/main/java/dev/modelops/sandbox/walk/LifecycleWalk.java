package dev.modelops.sandbox.walk;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;

import dev.modelops.sandbox.Sandbox;

/**
 * The Iris lifecycle, walked against the running sandbox with a live view: each step shows what the cluster says
 * now and turns ✔ when done. Steps are data ({@link Step}): train, validate, serve, canary and promote a second
 * version under generated traffic, then watch a diverged one be rolled back on its own.
 */
public final class LifecycleWalk {

    static final String NAMESPACE = "default";
    static final String TRAINING = "iris-cpu";
    static final String DEPLOYMENT = "iris";
    static final String RETRAINED = "iris-retrained";
    static final String DIVERGED = "iris-diverged";
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(4);

    /** What a step sees now: done, failed (with why), or still going (with what is happening). */
    public record Progress(boolean done, boolean failed, String detail) {

        static Progress going(String detail) {
            return new Progress(false, false, detail);
        }

        static Progress done(String detail) {
            return new Progress(true, false, detail);
        }

        static Progress failed(String detail) {
            return new Progress(false, true, detail);
        }
    }

    /** One step: a title, something to do once when it starts, and how to see its progress. */
    public record Step(String title, Runnable action, Supplier<Progress> progress) {
    }

    private final Sandbox sandbox;
    private final KubernetesClient client;
    private final PrintStream out;
    private final boolean live;
    private Traffic traffic;

    public LifecycleWalk(Sandbox sandbox, PrintStream out) {
        this.sandbox = sandbox;
        this.client = sandbox.api().client("walk");
        this.out = out;
        this.live = System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    /** Runs every step in order; false when one failed or timed out (the view says which and why). */
    public boolean run() {
        out.println("\nThe Iris lifecycle (kubectl works meanwhile: see the kubeconfig above)");
        try {
            for (Step step : steps()) {
                if (!runStep(step)) {
                    return false;
                }
            }
            return true;
        } finally {
            if (traffic != null) {
                traffic.close();
            }
            client.close();
        }
    }

    List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("apply samples/training-cpu.yaml (ModelTraining " + TRAINING + ")", this::applyTraining,
                () -> trainings().withName(TRAINING).get() != null
                        ? Progress.done("created")
                        : Progress.going("applying")));
        steps.add(new Step("the trainer pod runs the Iris trainer", null, this::trainerProgress));
        steps.add(new Step("the training succeeds and registers a ModelVersion", null, this::trainingProgress));
        steps.add(new Step("the version is validated by the runtime (fetch, sha256, load, warm-up)", null,
                this::versionProgress));
        steps.add(new Step("apply samples/deployment-sandbox.yaml (ModelDeployment " + DEPLOYMENT + ", Latest)",
                () -> apply("samples/deployment-sandbox.yaml", deployments()), () -> servingProgress(null)));
        steps.add(new Step("inferences answered through the Service " + DEPLOYMENT + " (traffic keeps flowing)",
                this::startTraffic, this::trafficProgress));
        steps.add(new Step("a second training (" + RETRAINED + ") registers and validates the next version",
                () -> train(RETRAINED, "0.05", "300"), () -> trainedProgress(RETRAINED)));
        steps.add(new Step("its canary is analysed against stable under traffic and promoted", null,
                () -> servingProgress(RETRAINED)));
        steps.add(new Step(
                "a diverged training (" + DIVERGED + ", learning rate 1000) makes a bad version (accuracy 0.33)",
                () -> train(DIVERGED, "1000", "50"), () -> trainedProgress(DIVERGED)));
        steps.add(new Step("its canary drifts from stable and is rolled back on its own, with the evidence", null,
                this::rollbackProgress));
        return steps;
    }

    private boolean runStep(Step step) {
        Instant start = Instant.now();
        if (step.action() != null) {
            try {
                step.action().run();
            } catch (RuntimeException e) {
                render(step, Progress.failed(e.getMessage()), start, true);
                return false;
            }
        }
        String lastDetail = null;
        while (true) {
            Progress p;
            try {
                p = step.progress().get();
            } catch (RuntimeException e) {
                p = Progress.going("(API: " + e.getMessage() + ")");
            }
            boolean finished = p.done() || p.failed();
            if (!finished && Duration.between(start, Instant.now()).compareTo(STEP_TIMEOUT) > 0) {
                p = Progress.failed("no progress in " + STEP_TIMEOUT.toMinutes() + " minutes: " + p.detail());
                finished = true;
            }
            if (live || finished || !p.detail().equals(lastDetail)) {
                render(step, p, start, finished);
            }
            lastDetail = p.detail();
            if (finished) {
                return p.done();
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

    private void render(Step step, Progress p, Instant start, boolean finished) {
        long seconds = Duration.between(start, Instant.now()).toSeconds();
        String mark = p.done()
                ? "✔"
                : p.failed()
                        ? "✘"
                        : SPINNER[(int) (System.currentTimeMillis() / 250
                                % SPINNER.length)];
        String line = String.format("%s %-72s %4ds  %s", mark, step.title(), seconds, p.detail());
        if (live) {
            out.print("\r\033[2K" + line);
            if (finished) {
                out.println();
            }
            out.flush();
        } else {
            out.println(line);
        }
    }

    // ---- actions and observations ----

    private void applyTraining() {
        Path sample = sandbox.options().repo().resolve("samples/training-cpu.yaml");
        try (InputStream in = Files.newInputStream(sample)) {
            HasMetadata training = client.getKubernetesSerialization().unmarshal(in);
            GenericKubernetesResource resource = client.getKubernetesSerialization().convertValue(training,
                    GenericKubernetesResource.class);
            resource.getMetadata().setNamespace(NAMESPACE);
            trainings().resource(resource).createOr(existing -> existing.update());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + sample + ": " + e.getMessage(), e);
        }
    }

    private void apply(String file,
            NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> kind) {
        Path sample = sandbox.options().repo().resolve(file);
        try {
            applyText(Files.readString(sample), kind);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + sample + ": " + e.getMessage(), e);
        }
    }

    private void applyText(String yaml,
            NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> kind) {
        GenericKubernetesResource resource = client.getKubernetesSerialization().unmarshal(yaml,
                GenericKubernetesResource.class);
        resource.getMetadata().setNamespace(NAMESPACE);
        kind.resource(resource).createOr(existing -> existing.update());
    }

    /** The sample training again, under another name, learning rate and epoch count. */
    private void train(String name, String learningRate, String epochs) {
        try {
            String yaml = Files.readString(sandbox.options().repo().resolve("samples/training-cpu.yaml"))
                    .replace("name: " + TRAINING, "name: " + name)
                    .replace("learningRate: \"0.05\"", "learningRate: \"" + learningRate + "\"")
                    .replace("epochs: \"300\"", "epochs: \"" + epochs + "\"");
            applyText(yaml, trainings());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the training sample: " + e.getMessage(), e);
        }
    }

    private Progress trainedProgress(String training) {
        GenericKubernetesResource mt = trainings().withName(training).get();
        String version = mt == null ? null : string(mt, "status", "modelVersion");
        if (mt != null && "Failed".equals(string(mt, "status", "phase"))) {
            return Progress.failed("training " + training + " failed");
        }
        GenericKubernetesResource mv = version == null ? null : versions().withName(version).get();
        if (mv == null) {
            return Progress.going("training " + training + ": " + (mt == null ? "-" : string(mt, "status", "phase")));
        }
        String phase = string(mv, "status", "phase");
        String detail = version + " " + (phase == null ? "Pending" : phase) + ", accuracy " + mv.get("spec",
                "metrics", "accuracy");
        return "Ready".equals(phase)
                ? Progress.done(detail)
                : "Failed".equals(phase)
                        ? Progress.failed(detail)
                        : Progress.going(detail);
    }

    /** Done when the deployment serves the version the training produced (or any version, for null). */
    private Progress servingProgress(String training) {
        GenericKubernetesResource md = deployments().withName(DEPLOYMENT).get();
        if (md == null || md.get("status") == null) {
            return Progress.going("waiting for the operator");
        }
        String wanted = training == null
                ? null
                : string(trainings().withName(training).get(), "status",
                        "modelVersion");
        String stable = string(md, "status", "stable", "modelVersion");
        String phase = string(md, "status", "phase");
        String canary = string(md, "status", "canary", "modelVersion");
        String detail = phase + ": " + (canary == null
                ? ""
                : "canary " + canary + " at " + md.get("status",
                        "canary", "weight") + "%, step " + md.get("status", "canary", "currentStep") + "; ")
                + "stable "
                + stable + ", " + md.get("status", "readyReplicas") + " pods ready";
        if ("Degraded".equals(phase)) {
            return Progress.failed(detail + ": " + string(md, "status", "message"));
        }
        boolean serving = "Healthy".equals(phase) && stable != null && (wanted == null || wanted.equals(stable));
        return serving ? Progress.done(detail) : Progress.going(detail);
    }

    private void startTraffic() {
        Endpoints endpoints = client.endpoints().inNamespace(NAMESPACE).withName(DEPLOYMENT).get();
        String ports = endpoints == null || endpoints.getMetadata().getAnnotations() == null
                ? null
                : endpoints.getMetadata().getAnnotations().get("sandbox.modelops.dev/host-ports");
        if (ports == null || !ports.contains("http=127.0.0.1:")) {
            throw new IllegalStateException("the Service " + DEPLOYMENT + " has no host port yet");
        }
        int port = Integer.parseInt(ports.replaceAll(".*http=127\\.0\\.0\\.1:(\\d+).*", "$1"));
        out.println("  (curl -s 127.0.0.1:" + port + "/v2/models/iris/infer -d '{\"inputs\":[{\"name\":\"input\","
                + "\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[5.1,3.5,1.4,0.2]}]}')");
        traffic = new Traffic(port, "iris");
    }

    private Progress trafficProgress() {
        String detail = traffic.ok() + " answered, " + traffic.failed() + " failed";
        return traffic.ok() >= 20 ? Progress.done(detail) : Progress.going(detail);
    }

    private Progress rollbackProgress() {
        String bad = string(trainings().withName(DIVERGED).get(), "status", "modelVersion");
        GenericKubernetesResource mv = bad == null ? null : versions().withName(bad).get();
        Object rejection = mv == null ? null : mv.get("status", "rejections", 0);
        GenericKubernetesResource md = deployments().withName(DEPLOYMENT).get();
        if (rejection == null) {
            return Progress.going(servingProgress(RETRAINED).detail());
        }
        Object message = mv.get("status", "rejections", 0, "message");
        return Progress.done(bad + " rejected: " + message + "; stable " + string(md, "status", "stable",
                "modelVersion") + " (kubectl get mv " + bad + " -o yaml)");
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> deployments() {
        return client.genericKubernetesResources("modelops.dev/v1alpha1", "ModelDeployment").inNamespace(NAMESPACE);
    }

    private Progress trainerProgress() {
        Optional<Pod> pod = client.pods().inNamespace(NAMESPACE)
                .withLabel("modelops.dev/training", TRAINING).list().getItems().stream().findFirst();
        if (pod.isEmpty()) {
            return Progress.going("waiting for the Job's pod");
        }
        Pod p = pod.get();
        String phase = p.getStatus() == null ? "Pending" : p.getStatus().getPhase();
        String ip = p.getStatus() == null ? null : p.getStatus().getPodIP();
        String detail = "pod " + p.getMetadata().getName() + " " + phase + (ip == null ? "" : " on " + ip);
        return switch (String.valueOf(phase)) {
            case "Succeeded" -> Progress.done(detail);
            case "Failed" -> Progress.failed(detail + ": " + p.getStatus().getMessage());
            default -> Progress.going(detail);
        };
    }

    private Progress trainingProgress() {
        GenericKubernetesResource mt = trainings().withName(TRAINING).get();
        if (mt == null) {
            return Progress.failed("the ModelTraining is gone");
        }
        String phase = string(mt, "status", "phase");
        String version = string(mt, "status", "modelVersion");
        String detail = "phase " + (phase == null ? "-" : phase) + (version == null ? "" : ", version " + version);
        if ("Failed".equals(phase)) {
            return Progress.failed(detail);
        }
        return "Succeeded".equals(phase) && version != null ? Progress.done(detail) : Progress.going(detail);
    }

    private Progress versionProgress() {
        GenericKubernetesResource mt = trainings().withName(TRAINING).get();
        String name = mt == null ? null : string(mt, "status", "modelVersion");
        GenericKubernetesResource mv = name == null ? null : versions().withName(name).get();
        if (mv == null) {
            return Progress.going("waiting for the version");
        }
        String phase = string(mv, "status", "phase");
        Object accuracy = mv.get("spec", "metrics", "accuracy");
        String detail = name + " " + (phase == null ? "Pending" : phase)
                + (accuracy == null ? "" : ", accuracy " + accuracy);
        if ("Failed".equals(phase)) {
            return Progress.failed(detail);
        }
        return "Ready".equals(phase) ? Progress.done(detail) : Progress.going(detail);
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> trainings() {
        return client.genericKubernetesResources("modelops.dev/v1alpha1", "ModelTraining").inNamespace(NAMESPACE);
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> versions() {
        return client.genericKubernetesResources("modelops.dev/v1alpha1", "ModelVersion").inNamespace(NAMESPACE);
    }

    private static String string(GenericKubernetesResource r, Object... path) {
        Object value = r == null ? null : r.get(path);
        return value == null ? null : value.toString();
    }
}
