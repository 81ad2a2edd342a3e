package dev.modelops.operator.common;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Makes the objects a controller owns converge on what it wants: creates what is missing, updates an object only when
 * a field we set differs ({@link OwnedState}), deletes what we no longer want. A pass that finds everything as desired
 * sends nothing. Every write goes into the informer's cache at once, so the next pass does not act on a stale copy.
 */
public final class OwnedResources {

    private static final Logger LOG = Logger.getLogger(OwnedResources.class);

    private OwnedResources() {
    }

    /** On every owned object: a digest of what the operator last wanted of it, so a field we stop setting goes too. */
    public static final String DESIRED_HASH = "modelops.dev/desired-hash";

    /**
     * Owned objects already compared with what we want, by uid: {@code resourceVersion/digest} of the last match. Any
     * write to an object (a hand edit included) gives it a new resourceVersion, and any change in what we want a new
     * digest, so a hit proves the comparison would find the same again; a resync of thousands of objects then costs
     * a lookup each, not a conversion and walk of every one. Bounded: past the limit it starts over.
     */
    private static final java.util.Map<String, String> VERIFIED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int VERIFIED_MAX = 50_000;

    /**
     * Creates or updates {@code desired}, given {@code existing} (the cached copy, or {@code null}). Returns the object
     * as it now is. {@code cache}: the informer to tell of the write, or null for a kind read without one.
     */
    public static <T extends HasMetadata> T apply(KubernetesClient client, InformerEventSource<T, ?> cache, T desired,
            T existing) {
        ResourceID id = ResourceID.fromResource(desired);
        OwnedState.Desired<T> wanted = OwnedState.stamp(desired);
        if (existing == null) {
            try {
                T created = client.resource(desired).create();
                if (cache != null) {
                    cache.handleRecentResourceCreate(id, created);
                }
                LOG.debugf("created %s %s", desired.getKind(), id);
                return created;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // Created by an earlier pass whose event has not reached the cache yet: converge on the stored copy.
                existing = client.resource(desired).get();
                if (existing == null) {
                    throw e;
                }
            }
        }
        String uid = existing.getMetadata().getUid();
        String checked = existing.getMetadata().getResourceVersion() + "/" + wanted.digest();
        if (uid != null && checked.equals(VERIFIED.get(uid))) {
            return existing; // this very version of the object was found as wanted before, and we want the same
        }
        if (wanted.isCoveredBy(existing)) {
            if (uid != null) {
                if (VERIFIED.size() >= VERIFIED_MAX) {
                    VERIFIED.clear();
                }
                VERIFIED.put(uid, checked);
            }
            return existing;
        }
        T update = OwnedState.replacement(desired, existing);
        update.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        T updated = client.resource(update).update();
        if (cache != null) {
            cache.handleRecentResourceUpdate(id, updated, existing);
        }
        LOG.debugf("updated %s %s", desired.getKind(), id);
        return updated;
    }

    /** Deletes each of {@code owned} whose name is not in {@code wanted}. */
    public static <T extends HasMetadata> void deleteOthers(KubernetesClient client, Collection<T> owned,
            Collection<T> wanted) {
        Set<String> keep = wanted.stream().map(r -> r.getMetadata().getName()).collect(Collectors.toSet());
        for (T resource : owned) {
            if (!keep.contains(resource.getMetadata().getName())) {
                if (resource.getMetadata().getUid() != null) {
                    VERIFIED.remove(resource.getMetadata().getUid());
                }
                client.resource(resource).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
                LOG.debugf("deleted %s %s", resource.getKind(), ResourceID.fromResource(resource));
            }
        }
    }
}
