package dev.modelops.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** Health and metrics, as a kubelet probe and a Prometheus scrape see them. */
@QuarkusTest
@WithKubernetesTestServer
class OperatorEndpointsTest {

    @TestHTTPResource("/q/health/ready")
    URL ready;

    @TestHTTPResource("/q/health/live")
    URL live;

    /** The chart's startup probe. */
    @TestHTTPResource("/q/health/started")
    URL started;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    private static HttpResponse<String> get(URL url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthReportsTheControllersUp() throws Exception {
        HttpResponse<String> response = get(ready);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\": \"UP\"").contains("modeltraining");
        assertThat(get(live).statusCode()).isEqualTo(200);
        assertThat(get(started).statusCode()).isEqualTo(200);
    }

    @Test
    void prometheusMetricsIncludeReconciliations() throws Exception {
        HttpResponse<String> response = get(metrics);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("jvm_memory_used_bytes").contains("operator_sdk");
    }
}
