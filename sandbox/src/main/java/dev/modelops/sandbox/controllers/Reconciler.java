package dev.modelops.sandbox.controllers;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A work queue of object keys ({@code namespace/name}) reconciled one at a time on one thread, with delayed
 * requeues: the shape of every built-in controller in the sandbox.
 */
final class Reconciler implements AutoCloseable {

    private final ScheduledExecutorService executor;
    private final Consumer<String> reconcile;
    private final Set<String> queued = new LinkedHashSet<>();

    Reconciler(String name, Consumer<String> reconcile) {
        this.reconcile = reconcile;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    void enqueue(String key) {
        synchronized (queued) {
            if (!queued.add(key)) {
                return;
            }
        }
        executor.execute(() -> run(key));
    }

    void enqueueAfter(String key, long millis) {
        executor.schedule(() -> enqueue(key), Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    private void run(String key) {
        synchronized (queued) {
            queued.remove(key);
        }
        try {
            reconcile.accept(key);
        } catch (RuntimeException e) {
            // Transient API errors: try again shortly, as a controller's rate-limited queue would.
            enqueueAfter(key, 1000);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
