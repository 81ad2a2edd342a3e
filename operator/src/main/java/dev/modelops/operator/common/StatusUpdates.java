package dev.modelops.operator.common;

import java.util.Objects;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/** One rule for every controller: the status is patched only when it differs from what is stored. */
public final class StatusUpdates {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusUpdates() {
    }

    public static <S, R extends CustomResource<?, S>> UpdateControl<R> patchIfChanged(R resource, S planned) {
        if (Objects.equals(JSON.valueToTree(resource.getStatus()), JSON.valueToTree(planned))) {
            return UpdateControl.noUpdate();
        }
        resource.setStatus(planned);
        return UpdateControl.patchStatus(resource);
    }
}
