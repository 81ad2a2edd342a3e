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

    /** Pure: the list with {@code rejection} appended once, bounded to the newest {@link #MAX_KEPT}. */
    static List<Rejection> withRejection(List<Rejection> existing, Rejection rejection) {
        List<Rejection> result = existing == null ? new ArrayList<>() : new ArrayList<>(existing);
        boolean duplicate = result.stream().anyMatch(r -> r.getDeployment().equals(rejection.getDeployment())
                && r.getTime().equals(rejection.getTime()));
        if (!duplicate) {
            result.add(rejection);
        }
        while (result.size() > MAX_KEPT) {
            result.remove(0);
        }
        return result;
    }
}
