package dev.modelops.sandbox.controllers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The Job controller, as the operator relies on it: pods from the template (NonIndexed, or Indexed with the
 * completion index annotation, label, host name and {@code JOB_COMPLETION_INDEX}), parallelism and completions,
 * backoffLimit with a doubling delay between retries, activeDeadlineSeconds, suspend, and the Job's status with the
 * Complete / Failed / Suspended conditions and their reasons.
 */
public final class JobController implements AutoCloseable {

    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    static final String JOB_NAME = "batch.kubernetes.io/job-name";
    static final String COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index";
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final Clock clock;
    private final EventRecorder events;
    private final Random random = new Random();
    private final Reconciler queue;
    /** Pods created and not yet seen by the informer, by Job uid: no second pod for the same slot meanwhile. */
    private final Map<String, java.util.Set<String>> expected = new java.util.concurrent.ConcurrentHashMap<>();
    private SharedIndexInformer<Job> jobs;
    private SharedIndexInformer<Pod> pods;

    public JobController(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.events = new EventRecorder(client, "job-controller", clock);
        this.queue = new Reconciler("job-controller", this::reconcile);
    }

    public void start() {
        jobs = client.batch().v1().jobs().inAnyNamespace().inform(handler(j -> key(j)), 0);
        pods = client.pods().inAnyNamespace().inform(handler(p -> {
            Map<String, String> labels = p.getMetadata().getLabels();
            return labels == null || !labels.containsKey(JOB_NAME)
                    ? null
                    : p.getMetadata().getNamespace() + "/" + labels.get(JOB_NAME);
        }), 0);
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler(java.util.function.Function<T, String> keyOf) {
        return Informers.handler(keyOf, queue);
    }

    private static String key(HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    private void reconcile(String key) {
        Job job = jobs.getStore().getByKey(key);
        if (job == null) {
            return;
        }
        String uid = selectorUid(job);
        List<Pod> owned = pods.getStore().list().stream()
                .filter(p -> p.getMetadata().getLabels() != null
                        && uid.equals(p.getMetadata().getLabels().get(CONTROLLER_UID)))
                .collect(Collectors.toList());
        java.util.Set<String> pending = expected.getOrDefault(uid, java.util.Set.of());
        if (!pending.isEmpty()) {
            java.util.Set<String> seen = owned.stream().map(p -> p.getMetadata().getName())
                    .collect(Collectors.toSet());
            if (!seen.containsAll(pending)) {
                queue.enqueueAfter(key, 100);
                return;
            }
            expected.remove(uid);
        }
        List<Pod> active = owned.stream().filter(p -> !terminal(p) && p.getMetadata().getDeletionTimestamp() == null)
                .toList();
        List<Pod> failedPods = owned.stream().filter(p -> "Failed".equals(phase(p))).toList();
        List<Pod> succeededPods = owned.stream().filter(p -> "Succeeded".equals(phase(p))).toList();
        JobStatus old = Optional.ofNullable(job.getStatus()).orElseGet(JobStatus::new);
        JobStatusBuilder status = new JobStatusBuilder(old);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        boolean indexed = "Indexed".equals(job.getSpec().getCompletionMode());
        int completions = Optional.ofNullable(job.getSpec().getCompletions()).orElse(1);
        int parallelism = Optional.ofNullable(job.getSpec().getParallelism()).orElse(1);
        int backoffLimit = Optional.ofNullable(job.getSpec().getBackoffLimit()).orElse(6);

        TreeSet<Integer> completedIndexes = new TreeSet<>();
        succeededPods.forEach(p -> index(p).ifPresent(completedIndexes::add));
        status.withFailed(failedPods.size()).withSucceeded(indexed ? completedIndexes.size() : succeededPods.size())
                .withReady((int) active.stream().filter(JobController::ready).count());
        if (indexed) {
            status.withCompletedIndexes(ranges(completedIndexes));
        }

        if (finished(old)) {
            active.forEach(this::delete);
            status.withActive(0);
            write(job, status.build());
            return;
        }
        if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            active.forEach(this::delete);
            if (!hasCondition(old, "Suspended")) {
                events.normal(job, "Suspended", "Job suspended");
            }
            status.withActive(0).withStartTime(null)
                    .withConditions(withCondition(old, "Suspended", "True", "JobSuspended", "Job suspended", now));
            write(job, status.build());
            return;
        }
        if (hasCondition(old, "Suspended")) {
            events.normal(job, "Resumed", "Job resumed");
            status.withConditions(withCondition(old, "Suspended", "False", "JobResumed", "Job resumed", now));
        }
        Instant start = old.getStartTime() == null ? now : Instant.parse(old.getStartTime());
        status.withStartTime(start.toString());

        Long deadline = job.getSpec().getActiveDeadlineSeconds();
        String failReason = null;
        String failMessage = null;
        if (failedPods.size() > backoffLimit) {
            failReason = "BackoffLimitExceeded";
            failMessage = "Job has reached the specified backoff limit";
        } else if (deadline != null && !now.isBefore(start.plusSeconds(deadline))) {
            failReason = "DeadlineExceeded";
            failMessage = "Job was active longer than specified deadline";
        }
        boolean complete = indexed ? completedIndexes.size() >= completions : succeededPods.size() >= completions;
        if (failReason != null) {
            active.forEach(this::delete);
            events.warning(job, failReason, failMessage);
            status.withActive(0).withConditions(withCondition(status.build(), "Failed", "True", failReason,
                    failMessage, now));
            write(job, status.build());
            return;
        }
        if (complete) {
            active.forEach(this::delete);
            events.normal(job, "Completed", "Job completed");
            status.withActive(0).withCompletionTime(now.toString())
                    .withConditions(withCondition(status.build(), "Complete", "True", null, null, now));
            write(job, status.build());
            return;
        }
        if (deadline != null) {
            queue.enqueueAfter(key, Duration.between(clock.instant(), start.plusSeconds(deadline)).toMillis() + 50);
        }

        // A failed pod is replaced after a doubling delay (1 s, 2 s, 4 s ... at most 30 s; a cluster starts at 10 s).
        Instant lastFailure = failedPods.stream().map(JobController::finishedAt).filter(Objects::nonNull)
                .max(Instant::compareTo).orElse(null);
        Duration delay = failedPods.isEmpty()
                ? Duration.ZERO
                : Duration.ofSeconds(1L << Math.min(5, failedPods.size() - 1));
        delay = delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
        List<Pod> created = new ArrayList<>();
        if (lastFailure != null && clock.instant().isBefore(lastFailure.plus(delay))) {
            queue.enqueueAfter(key, Duration.between(clock.instant(), lastFailure.plus(delay)).toMillis() + 50);
        } else if (indexed) {
            TreeSet<Integer> running = new TreeSet<>();
            active.forEach(p -> index(p).ifPresent(running::add));
            for (int i = 0; i < completions && running.size() + created.size() < parallelism; i++) {
                if (!completedIndexes.contains(i) && !running.contains(i)) {
                    created.add(createPod(job, i));
                }
            }
        } else {
            int want = Math.min(parallelism, completions - succeededPods.size()) - active.size();
            for (int i = 0; i < want; i++) {
                created.add(createPod(job, null));
            }
        }
        status.withActive(active.size() + created.size());
        write(job, status.build());
    }

    private Pod createPod(Job job, Integer index) {
        PodTemplateSpec template = job.getSpec().getTemplate();
        String jobName = job.getMetadata().getName();
        String name = jobName + "-" + (index == null ? "" : index + "-") + suffix();
        Map<String, String> labels = new LinkedHashMap<>(Optional.ofNullable(template.getMetadata())
                .map(m -> m.getLabels()).orElse(Map.of()));
        labels.put(CONTROLLER_UID, selectorUid(job));
        labels.put(JOB_NAME, jobName);
        labels.put("controller-uid", selectorUid(job));
        labels.put("job-name", jobName);
        Map<String, String> annotations = new LinkedHashMap<>(Optional.ofNullable(template.getMetadata())
                .map(m -> m.getAnnotations()).orElse(Map.of()));
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(job.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                        .withName(jobName).withUid(job.getMetadata().getUid()).withController(true)
                        .withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(template.getSpec());
        if (index != null) {
            labels.put(COMPLETION_INDEX, index.toString());
            annotations.put(COMPLETION_INDEX, index.toString());
            List<Container> containers = new ArrayList<>();
            for (Container c : template.getSpec().getContainers()) {
                List<EnvVar> env = new ArrayList<>(Optional.ofNullable(c.getEnv()).orElse(List.of()));
                env.add(0, new EnvVarBuilder().withName("JOB_COMPLETION_INDEX").withNewValueFrom().withNewFieldRef()
                        .withFieldPath("metadata.annotations['" + COMPLETION_INDEX + "']").endFieldRef()
                        .endValueFrom().build());
                containers.add(new io.fabric8.kubernetes.api.model.ContainerBuilder(c).withEnv(env).build());
            }
            pod.editSpec().withHostname(jobName + "-" + index).withContainers(containers).endSpec();
        }
        Pod created = client.pods().inNamespace(job.getMetadata().getNamespace()).resource(pod.build()).create();
        expected.computeIfAbsent(selectorUid(job), k -> java.util.concurrent.ConcurrentHashMap.newKeySet())
                .add(name);
        events.normal(job, "SuccessfulCreate", "Created pod: " + name);
        return created;
    }

    /** The controller-uid the API server put in the Job's selector at creation (its own uid when there is none). */
    private static String selectorUid(Job job) {
        return Optional.ofNullable(job.getSpec().getSelector()).map(s -> s.getMatchLabels())
                .map(labels -> labels.get(CONTROLLER_UID)).orElse(job.getMetadata().getUid());
    }

    private String suffix() {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private void delete(Pod pod) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    }

    private void write(Job job, JobStatus status) {
        if (status.equals(job.getStatus())) {
            return;
        }
        Job update = new JobBuilder().withNewMetadata().withName(job.getMetadata().getName())
                .withNamespace(job.getMetadata().getNamespace()).endMetadata().withStatus(status).build();
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(update).patchStatus();
    }

    private static List<JobCondition> withCondition(JobStatus status, String type, String value, String reason,
            String message, Instant now) {
        List<JobCondition> conditions = new ArrayList<>(Optional.ofNullable(status.getConditions()).orElse(List.of()));
        Optional<JobCondition> existing = conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
        if (existing.isPresent() && value.equals(existing.get().getStatus())
                && Objects.equals(reason, existing.get().getReason())) {
            return conditions;
        }
        existing.ifPresent(conditions::remove);
        conditions.add(new JobConditionBuilder().withType(type).withStatus(value).withReason(reason)
                .withMessage(message).withLastProbeTime(now.toString()).withLastTransitionTime(now.toString())
                .build());
        return conditions;
    }

    private static boolean hasCondition(JobStatus status, String type) {
        return Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static boolean finished(JobStatus status) {
        return hasCondition(status, "Complete") || hasCondition(status, "Failed");
    }

    private static boolean terminal(Pod p) {
        return "Succeeded".equals(phase(p)) || "Failed".equals(phase(p));
    }

    private static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    private static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Optional<Integer> index(Pod p) {
        Map<String, String> annotations = p.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(COMPLETION_INDEX);
        return value == null ? Optional.empty() : Optional.of(Integer.valueOf(value));
    }

    private static Instant finishedAt(Pod p) {
        if (p.getStatus() == null || p.getStatus().getContainerStatuses() == null) {
            return null;
        }
        return p.getStatus().getContainerStatuses().stream().map(ContainerStatus::getState)
                .filter(s -> s != null && s.getTerminated() != null).map(s -> s.getTerminated())
                .map(ContainerStateTerminated::getFinishedAt).filter(Objects::nonNull).map(Instant::parse)
                .max(Instant::compareTo).orElse(null);
    }

    /** {@code 0,1,2,5} → {@code 0-2,5}, the form of status.completedIndexes. */
    static String ranges(TreeSet<Integer> indexes) {
        StringBuilder sb = new StringBuilder();
        Integer first = null;
        Integer last = null;
        for (Integer i : indexes) {
            if (last != null && i == last + 1) {
                last = i;
                continue;
            }
            append(sb, first, last);
            first = i;
            last = i;
        }
        append(sb, first, last);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Integer first, Integer last) {
        if (first == null) {
            return;
        }
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append(first);
        if (!first.equals(last)) {
            sb.append('-').append(last);
        }
    }

    @Override
    public void close() {
        queue.close();
        if (jobs != null) {
            jobs.close();
        }
        if (pods != null) {
            pods.close();
        }
    }
}
