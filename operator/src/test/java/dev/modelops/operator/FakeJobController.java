package dev.modelops.operator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Plays the Job controller and kubelet on the mock API server, which runs neither: creates a Job's pods and writes
 * the pod and Job status the way Kubernetes does, termination messages included.
 */
public final class FakeJobController {

    public static final String IMAGE_ID = "ghcr.io/modelops-dev/iris-trainer@sha256:" + "b".repeat(64);
    /** Indexed Jobs put the completion index on each pod in this annotation. */
    static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";

    private final KubernetesClient client;
    private final String container;

    public FakeJobController(KubernetesClient client, String container) {
        this.client = client;
        this.container = container;
    }

    public Job job(String namespace, String name) {
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    /** The Job controller starts every worker; kubelet reports them running. */
    public List<Pod> start(Job job) {
        int workers = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
        List<Pod> pods = new ArrayList<>();
        for (int index = 0; index < workers; index++) {
            Map<String, String> labels = new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
            labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
            PodBuilder pod = new PodBuilder()
                    .withNewMetadata()
                    .withName(job.getMetadata().getName() + "-" + index + "-x" + System.nanoTime() % 100000)
                    .withNamespace(job.getMetadata().getNamespace())
                    .withLabels(labels)
                    .endMetadata()
                    .withSpec(job.getSpec().getTemplate().getSpec());
            if ("Indexed".equals(job.getSpec().getCompletionMode())) {
                pod.editMetadata().addToAnnotations(COMPLETION_INDEX,
                        Integer.toString(index)).endMetadata();
            }
            Pod created = client.resource(pod.build()).create();
            created.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
                    .withContainerStatuses(new ContainerStatusBuilder().withName(container)
                            .withImage(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                            .withImageID("docker-pullable://" + IMAGE_ID).withNewState().withNewRunning()
                            .withStartedAt("2026-11-22T10:00:00Z").endRunning().endState().build())
                    .build());
            pods.add(client.resource(created).updateStatus());
        }
        writeStatus(job, s -> {
            s.setActive(workers);
            s.setStartTime("2026-11-22T10:00:00Z");
        });
        return pods;
    }

    /** Every worker exits 0; rank 0 leaves {@code message} as its termination message. */
    public void succeed(Job job, List<Pod> pods, String message) {
        for (Pod pod : pods) {
            String index = pod.getMetadata().getAnnotations() == null
                    ? "0"
                    : pod.getMetadata().getAnnotations().getOrDefault(COMPLETION_INDEX,
                            "0");
            terminate(pod, 0, "Completed", "0".equals(index) ? message : null, "Succeeded");
        }
        markComplete(job);
    }

    /**
     * As {@link #succeed}, but the Job's Complete is written before the pod's termination (the order in which an
     * operator's two watches may deliver them); the pod's status follows only when {@code report} is called.
     */
    public Runnable completeBeforeThePodReports(Job job, List<Pod> pods, String message) {
        markComplete(job);
        return () -> pods.forEach(pod -> terminate(pod, 0, "Completed", message, "Succeeded"));
    }

    /** The Job controller's part of a success: every completion counted, the Job Complete. */
    private void markComplete(Job job) {
        writeStatus(job, s -> {
            s.setActive(0);
            s.setSucceeded(job.getSpec().getCompletions() == null ? 1 : job.getSpec().getCompletions());
            s.setCompletionTime("2026-11-22T10:07:00Z");
            s.setConditions(List.of(new JobConditionBuilder().withType("Complete").withStatus("True").build()));
        });
    }

    /** The worker fails {@code failures} times and the Job gives up. */
    public void fail(Job job, List<Pod> pods, int failures, String podMessage) {
        fail(job, pods, failures, podMessage, "BackoffLimitExceeded", "Job has reached the specified backoff limit");
    }

    /** The Job controller gives up for {@code reason} (BackoffLimitExceeded, DeadlineExceeded...). */
    public void fail(Job job, List<Pod> pods, int failures, String podMessage, String reason, String jobMessage) {
        terminate(pods.get(0), 1, "Error", podMessage, "Failed");
        writeStatus(job, s -> {
            s.setActive(0);
            s.setFailed(failures);
            s.setConditions(List.of(new JobConditionBuilder().withType("Failed").withStatus("True")
                    .withReason(reason).withMessage(jobMessage).withLastTransitionTime("2026-11-22T10:06:30Z")
                    .build()));
        });
    }

    private void terminate(Pod pod, int exitCode, String reason, String message, String phase) {
        Pod current = client.resource(pod).get();
        current.getStatus().setPhase(phase);
        current.getStatus().getContainerStatuses().get(0)
                .setState(new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                        .withNewTerminated().withExitCode(exitCode).withReason(reason).withMessage(message)
                        .withFinishedAt("2026-11-22T10:06:00Z").endTerminated().build());
        client.resource(current).updateStatus();
    }

    private void writeStatus(Job job, java.util.function.Consumer<JobStatus> change) {
        Job current = client.resource(job).get();
        JobStatus status = current.getStatus() == null ? new JobStatus() : current.getStatus();
        change.accept(status);
        current.setStatus(status);
        client.resource(current).updateStatus();
    }
}
