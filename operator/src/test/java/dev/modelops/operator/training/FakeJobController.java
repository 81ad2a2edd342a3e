package dev.modelops.operator.training;

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
final class FakeJobController {

    static final String IMAGE_ID = "ghcr.io/modelops-dev/iris-trainer@sha256:" + "b".repeat(64);

    private final KubernetesClient client;

    FakeJobController(KubernetesClient client) {
        this.client = client;
    }

    Job job(String namespace, String name) {
        return client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    /** The Job controller starts every worker; kubelet reports them running. */
    List<Pod> start(Job job) {
        int workers = job.getSpec().getParallelism();
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
                pod.editMetadata().addToAnnotations(TrainingJobPlanner.COMPLETION_INDEX_ANNOTATION,
                        Integer.toString(index)).endMetadata();
            }
            Pod created = client.resource(pod.build()).create();
            created.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running")
                    .withContainerStatuses(new ContainerStatusBuilder().withName(TrainingJobPlanner.CONTAINER)
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
    void succeed(Job job, List<Pod> pods, String message) {
        for (Pod pod : pods) {
            String index = pod.getMetadata().getAnnotations() == null
                    ? "0"
                    : pod.getMetadata().getAnnotations().getOrDefault(TrainingJobPlanner.COMPLETION_INDEX_ANNOTATION,
                            "0");
            terminate(pod, 0, "Completed", "0".equals(index) ? message : null, "Succeeded");
        }
        writeStatus(job, s -> {
            s.setActive(0);
            s.setSucceeded(job.getSpec().getCompletions());
            s.setCompletionTime("2026-11-22T10:07:00Z");
            s.setConditions(List.of(new JobConditionBuilder().withType("Complete").withStatus("True").build()));
        });
    }

    /** The worker fails {@code failures} times and the Job gives up. */
    void fail(Job job, List<Pod> pods, int failures, String podMessage) {
        terminate(pods.get(0), 1, "Error", podMessage, "Failed");
        writeStatus(job, s -> {
            s.setActive(0);
            s.setFailed(failures);
            s.setConditions(List.of(new JobConditionBuilder().withType("Failed").withStatus("True")
                    .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
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
