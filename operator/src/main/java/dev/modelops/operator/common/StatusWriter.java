package dev.modelops.operator.common;

import java.util.Objects;
import java.util.function.BinaryOperator;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/**
 * The one way controllers write status: only when it differs from what is stored, as a full update of the status
 * subresource carrying the resourceVersion it was planned from, so a concurrent write is never overwritten. On a
 * conflict the write is retried on the fresh object, through {@code merge}, which decides what of the fresh status
 * survives (the fields another writer owns). The written object is put into JOSDK's cache, so the next pass plans
 * from it.
 */
public final class StatusWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StatusWriter() {
    }

    /** Writes {@code planned}; on a conflict the fresh status is replaced whole. Returns the object as stored now. */
    public static <S, R extends CustomResource<?, S>> R write(R resource, S planned, Context<R> context) {
        return write(resource, planned, context, (fresh, ours) -> ours);
    }

    /**
     * Writes {@code planned} when it differs from the stored status. {@code merge} gets the status stored on the
     * object being written (fresh after a conflict) and {@code planned}, and returns the status to write.
     */
    public static <S, R extends CustomResource<?, S>> R write(R resource, S planned, Context<R> context,
            BinaryOperator<S> merge) {
        if (same(resource.getStatus(), planned)) {
            return resource;
        }
        return PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(resource, context, r -> {
            r.setStatus(merge.apply(r.getStatus(), planned));
            return r;
        });
    }

    public static boolean same(Object stored, Object planned) {
        return Objects.equals(JSON.valueToTree(stored), JSON.valueToTree(planned));
    }
}
