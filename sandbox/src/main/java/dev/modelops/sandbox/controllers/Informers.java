package dev.modelops.sandbox.controllers;

import java.util.Random;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

/** What the built-in controllers share: event handlers that enqueue keys, ownership and pod state. */
final class Informers {

    private Informers() {
    }

    static <T extends HasMetadata> ResourceEventHandler<T> handler(Function<T, String> keyOf, Reconciler queue) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                enqueue(keyOf.apply(obj));
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                enqueue(keyOf.apply(newObj));
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                enqueue(keyOf.apply(obj));
            }

            private void enqueue(String key) {
                if (key != null) {
                    queue.enqueue(key);
                }
            }
        };
    }

    /** The key of the object's controller of {@code kind}, in the same namespace; null when there is none. */
    static String controllerKey(HasMetadata o, String kind) {
        if (o.getMetadata().getOwnerReferences() == null) {
            return null;
        }
        return o.getMetadata().getOwnerReferences().stream()
                .filter(r -> Boolean.TRUE.equals(r.getController()) && kind.equals(r.getKind()))
                .map(r -> o.getMetadata().getNamespace() + "/" + r.getName()).findFirst().orElse(null);
    }

    static boolean ownedBy(HasMetadata o, String uid) {
        if (o.getMetadata().getOwnerReferences() == null) {
            return false;
        }
        return o.getMetadata().getOwnerReferences().stream().map(OwnerReference::getUid).anyMatch(uid::equals);
    }

    static boolean terminal(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static String suffix(Random random) {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
