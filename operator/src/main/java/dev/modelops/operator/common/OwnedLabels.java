package dev.modelops.operator.common;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.modelops.api.ModelOps;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;

/** Labels and owner references every object the operator creates carries. */
public final class OwnedLabels {

    private OwnedLabels() {
    }

    /** app.kubernetes.io/* plus modelops.dev/model; callers add the kind-specific modelops.dev labels. */
    public static Map<String, String> standard(String component, String instance, String model) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ModelOps.LABEL_NAME, "modelops-" + component);
        labels.put(ModelOps.LABEL_INSTANCE, instance);
        labels.put(ModelOps.LABEL_COMPONENT, component);
        labels.put(ModelOps.LABEL_MANAGED_BY, ModelOps.MANAGED_BY);
        labels.put(ModelOps.LABEL_MODEL, model);
        return labels;
    }

    /** A controller owner reference: garbage collection deletes the object with its owner. */
    public static OwnerReference controllerReference(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }
}
