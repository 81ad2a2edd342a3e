package dev.modelops.operator.analysis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.modelops.contract.RuntimeContract;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;

/** Scrapes the runtime's {@code /metrics} from each ready pod, directly at the pod IP (no Prometheus needed). */
@ApplicationScoped
public class PodMetricsClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** Pod name to its series; throws with the pod and the cause when one cannot be read. */
    public Map<String, Map<String, Double>> scrape(List<Pod> pods) throws IOException {
        Map<String, Map<String, Double>> result = new LinkedHashMap<>();
        for (Pod pod : pods) {
            String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
            if (ip == null) {
                continue;
            }
            URI uri = URI.create("http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port(pod)
                    + RuntimeContract.PATH_METRICS);
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IOException("pod " + pod.getMetadata().getName() + ": GET " + uri + " answered "
                            + response.statusCode());
                }
                result.put(pod.getMetadata().getName(), MetricsText.parse(response.body()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while scraping " + uri, e);
            } catch (IOException e) {
                throw new IOException("pod " + pod.getMetadata().getName() + ": GET " + uri + " failed: " + e
                        .getMessage(), e);
            }
        }
        return result;
    }

    /** The server container's port named http, as the pod spec has it. */
    static int port(Pod pod) {
        if (pod.getSpec() != null && pod.getSpec().getContainers() != null) {
            for (Container c : pod.getSpec().getContainers()) {
                if (c.getPorts() == null) {
                    continue;
                }
                for (ContainerPort p : c.getPorts()) {
                    if ("http".equals(p.getName())) {
                        return p.getContainerPort();
                    }
                }
            }
        }
        return RuntimeContract.HTTP_PORT;
    }
}
