package dev.modelops.sandbox.controllers;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** Writes core/v1 Events about objects, as the kubelet and the built-in controllers do; {@code kubectl describe} lists them. */
public final class EventRecorder {

    private final KubernetesClient client;
    private final String component;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();

    public EventRecorder(KubernetesClient client, String component, Clock clock) {
        this.client = client;
        this.component = component;
        this.clock = clock;
    }

    public void normal(HasMetadata object, String reason, String message) {
        record(object, "Normal", reason, message);
    }

    public void warning(HasMetadata object, String reason, String message) {
        record(object, "Warning", reason, message);
    }

    private void record(HasMetadata object, String type, String reason, String message) {
        String now = clock.instant().toString();
        String namespace = object.getMetadata().getNamespace() == null
                ? "default"
                : object.getMetadata().getNamespace();
        String name = object.getMetadata().getName() + "." + Long.toHexString(clock.millis())
                + Long.toHexString(sequence.incrementAndGet());
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                    .withNewInvolvedObject()
                    .withApiVersion(object.getApiVersion())
                    .withKind(object.getKind())
                    .withName(object.getMetadata().getName())
                    .withNamespace(namespace)
                    .withUid(object.getMetadata().getUid())
                    .endInvolvedObject()
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message)
                    .withCount(1)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withNewSource().withComponent(component).withHost("sandbox").endSource()
                    .withReportingComponent(component)
                    .withReportingInstance("sandbox")
                    .build()).create();
        } catch (KubernetesClientException e) {
            // An event is a courtesy; losing one must not stop a pod or a Job.
        }
    }
}
