package dev.modelops.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.kubernetes.client.KubernetesServer;

/** Counts the writes the mock API server receives, to prove that a steady state costs nothing. */
public final class ApiWrites {

    private final KubernetesServer server;

    public ApiWrites(KubernetesServer server) {
        this.server = server;
    }

    /** Forgets every request received so far. */
    public void reset() throws InterruptedException {
        while (take() != null) {
            // discard
        }
    }

    /** Over a quiet period, the only writes the server receives are exactly {@code expected}. */
    public void assertOnly(Duration quiet, String... expected) {
        List<String> writes = new ArrayList<>();
        await().during(quiet).atMost(quiet.multipliedBy(2)).untilAsserted(() -> {
            for (RecordedRequest r = take(); r != null; r = take()) {
                // Pods are written only by the fakes playing the Deployment controller and kubelet (the operator
                // never writes a pod), so they say nothing about the operator; FakeDeploymentControllerTest holds the
                // fake itself to no writes at rest (it once re-POSTed existing pod names at every pass).
                if (!r.getMethod().equals("GET") && !r.getPath().contains("/pods")) {
                    writes.add(r.getMethod() + " " + r.getPath());
                }
            }
            assertThat(writes).containsExactly(expected);
        });
    }

    private RecordedRequest take() throws InterruptedException {
        return server.getKubernetesMockServer().takeRequest(10, TimeUnit.MILLISECONDS);
    }
}
