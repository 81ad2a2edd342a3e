package dev.modelops.operator.version;

import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.modelops.api.common.Measurement;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.ModelVersionStatus;
import dev.modelops.api.version.Rejection;
import dev.modelops.operator.common.Times;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The one way to mark a version rejected: the rollout code calls {@link #reject} when a canary of the version fails.
 * A rejected version is skipped by {@code versionPolicy: Latest}. Writes are read-modify-write on the status
 * subresource with the resourceVersion, retried on conflict, and idempotent for a repeated call.
 */
@ApplicationScoped
public class VersionRejections {

    /** Rejections kept per version; the oldest go first. */
    static final int MAX_KEPT = 20;
    private static final int MAX_CONFLICT_RETRIES = 5;

    private final KubernetesClient client;

    public VersionRejections(KubernetesClient client) {
        this.client = client;
    }

    public void reject(String namespace, String versionName, String deployment, Instant when, String reason,
            String message, List<Measurement> evidence) {
        Rejection rejection = new Rejection();
        rejection.setDeployment(deployment);
        rejection.setTime(Times.format(when));
        rejection.setReason(reason);
        rejection.setMessage(message);
        rejection.setMeasurements(evidence == null || evidence.isEmpty() ? null : List.copyOf(evidence));
        for (int attempt = 0;; attempt++) {
            ModelVersion version = client.resources(ModelVersion.class).inNamespace(namespace).withName(versionName)
                    .require();
            ModelVersionStatus status = version.getStatus() == null ? new ModelVersionStatus() : version.getStatus();
            List<Rejection> updated = withRejection(status.getRejections(), rejection);
            if (updated.equals(status.getRejections())) {
                return;
            }
            status.setRejections(updated);
            version.setStatus(status);
            try {
                client.resource(version).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    public static boolean isRejected(ModelVersion version) {
        return version.getStatus() != null && version.getStatus().getRejections() != null
                && !version.getStatus().getRejections().isEmpty();
    }

    /**
     * Takes back {@code deployment}'s rejection of the version (the {@code retry} action), so that the deployment may
     * serve it again. Same locking and retries as {@link #reject}.
     */
    public void clear(String namespace, String versionName, String deployment) {
        for (int attempt = 0;; attempt++) {
            ModelVersion version = client.resources(ModelVersion.class).inNamespace(namespace).withName(versionName)
                    .get();
            if (version == null || version.getStatus() == null || version.getStatus().getRejections() == null) {
                return;
            }
            List<Rejection> kept = version.getStatus().getRejections().stream()
                    .filter(r -> !deployment.equals(r.getDeployment())).toList();
            if (kept.size() == version.getStatus().getRejections().size()) {
                return;
            }
            version.getStatus().setRejections(kept.isEmpty() ? null : kept);
            try {
                client.resource(version).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt >= MAX_CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * Pure: the list with {@code rejection} appended, bounded to the newest {@link #MAX_KEPT}. A deployment rejects a
     * version once: while its rejection stands (until a retry clears it), a later one is not recorded again.
     */
    static List<Rejection> withRejection(List<Rejection> existing, Rejection rejection) {
        List<Rejection> result = existing == null ? new ArrayList<>() : new ArrayList<>(existing);
        boolean duplicate = result.stream().anyMatch(r -> r.getDeployment().equals(rejection.getDeployment()));
        if (!duplicate) {
            result.add(rejection);
        }
        while (result.size() > MAX_KEPT) {
            result.remove(0);
        }
        return result;
    }
}
