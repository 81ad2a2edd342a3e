package dev.modelops.operator.common;

import java.util.Objects;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;

/**
 * Which updates of a primary resource start a reconcile: a spec change (a new generation), a change of annotations
 * (control annotations such as {@code modelops.dev/revalidate} and {@code modelops.dev/action} are requests that do
 * not move the generation), finalizers, and deletion. A change of status alone does not: the operator writes status
 * itself and needs no event for it. Controllers that use it turn JOSDK's generation-aware filtering off, because that
 * filter would drop annotation-only updates before this one is asked.
 */
public class ControlEventFilter implements OnUpdateFilter<HasMetadata> {

    @Override
    public boolean accept(HasMetadata newResource, HasMetadata oldResource) {
        var now = newResource.getMetadata();
        var before = oldResource.getMetadata();
        return !Objects.equals(now.getGeneration(), before.getGeneration())
                || !Objects.equals(now.getAnnotations(), before.getAnnotations())
                || !Objects.equals(now.getLabels(), before.getLabels())
                || !Objects.equals(now.getFinalizers(), before.getFinalizers())
                || now.getDeletionTimestamp() != null;
    }
}
