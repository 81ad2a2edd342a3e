package dev.modelops.runtime.batching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * Merges concurrently submitted requests into batches and runs them one batch at a time on its own thread.
 *
 * <p>
 * A batch starts with the oldest waiting request and takes further requests while their rows fit in
 * {@code maxBatchSize} and the oldest has waited less than {@code maxDelay}; with a zero delay a batch is whatever
 * queued up while the previous batch ran. Requests wait in a queue of {@code queueCapacity}: past it, {@link #submit}
 * fails at once with {@link QueueFullException} instead of holding more memory. Nothing here knows about HTTP or
 * ONNX: a {@link BatchHandler} turns a list of requests into a list of results.
 *
 * <p>
 * A request submitted with {@code inlineIfIdle} while nothing is queued or running, and no delay is set, runs at once
 * on the submitting thread, as a batch of its own: with nothing to merge it with, the queue would only add two thread
 * hand-offs (to the worker and back), most of the latency of a small model. The caller asks for it only when it
 * knows no other request is on its way (a request read after this one while it runs finds the batcher idle again
 * and would run alone too) and when the run is short, since it holds the submitting thread (an event loop).
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {

    /** Runs one batch; returns one result per request, in order. */
    @FunctionalInterface
    public interface BatchHandler<I, O> {
        List<O> handle(List<I> batch) throws Exception;
    }

    /** Observes the batches as they run (metrics). */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        /** A request left the queue for a batch after waiting {@code queuedNanos}. */
        default void dequeued(long queuedNanos) {
        }

        /** A batch of {@code requests} requests with {@code rows} rows in all is about to run. */
        default void batch(int requests, int rows) {
        }
    }

    /**
     * @param maxBatchSize  the most rows in one batch; 1 turns merging off
     * @param maxDelay      how long the oldest request may wait for others to join its batch
     * @param queueCapacity how many requests may wait; more are rejected
     */
    public record Settings(int maxBatchSize, Duration maxDelay, int queueCapacity) {
        public Settings {
            if (maxBatchSize < 1 || queueCapacity < 1 || maxDelay.isNegative()) {
                throw new IllegalArgumentException("batch size and queue capacity must be positive, delay >= 0");
            }
        }
    }

    /** Thrown (through the future) when the queue is full or the batcher is closed. */
    public static final class QueueFullException extends RuntimeException {
        public QueueFullException(String message) {
            super(message);
        }
    }

    private record Pending<I, O>(I request, int rows, long enqueuedNanos, CompletableFuture<O> result) {
    }

    private final Settings settings;
    private final ToIntFunction<I> rowsOf;
    private final BatchHandler<I, O> handler;
    private final Listener listener;
    private final BlockingQueue<Pending<I, O>> queue;
    /** Requests submitted and not yet run to the end (queued, in a running batch, or running inline). */
    private final AtomicInteger unfinished = new AtomicInteger();
    private final Thread worker;
    private volatile boolean accepting = true;

    /**
     * @param rowsOf how many rows a request contributes to a batch (its first dimension)
     */
    public DynamicBatcher(String name, Settings settings, ToIntFunction<I> rowsOf, BatchHandler<I, O> handler,
            Listener listener) {
        this.settings = Objects.requireNonNull(settings);
        this.rowsOf = rowsOf;
        this.handler = handler;
        this.listener = listener;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.worker = new Thread(this::work, "batcher-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    public Settings settings() {
        return settings;
    }

    /** Requests waiting for a batch. */
    public int queued() {
        return queue.size();
    }

    /** Queues a request; the future fails with {@link QueueFullException} when there is no room. */
    public CompletableFuture<O> submit(I request) {
        return submit(request, false);
    }

    /**
     * Queues a request, or with {@code inlineIfIdle} runs it at once on this thread when the batcher is idle and no
     * delay is set (the future is then complete on return). The future fails with {@link QueueFullException} when
     * there is no room.
     */
    public CompletableFuture<O> submit(I request, boolean inlineIfIdle) {
        CompletableFuture<O> result = new CompletableFuture<>();
        if (!accepting) {
            result.completeExceptionally(new QueueFullException("shutting down"));
            return result;
        }
        Pending<I, O> pending = new Pending<>(request, rowsOf.applyAsInt(request), System.nanoTime(), result);
        // A delay asks a lone request to wait for company: then it always queues.
        if (unfinished.getAndIncrement() == 0 && inlineIfIdle && settings.maxDelay().isZero()) {
            run(List.of(pending), pending.rows());
        } else if (!queue.offer(pending)) {
            unfinished.decrementAndGet();
            result.completeExceptionally(new QueueFullException(
                    "the queue of " + settings.queueCapacity() + " requests is full"));
        }
        return result;
    }

    /** Stops accepting requests, runs those already queued, and waits up to {@code timeout} for that. */
    public void close(Duration timeout) {
        accepting = false;
        try {
            worker.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        worker.interrupt();
        Pending<I, O> left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new QueueFullException("shut down before it ran"));
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    private void work() {
        long maxDelayNanos = settings.maxDelay().toNanos();
        while (accepting || !queue.isEmpty()) {
            Pending<I, O> first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                continue;
            }
            List<Pending<I, O>> batch = new ArrayList<>();
            batch.add(first);
            int rows = first.rows();
            long deadline = first.enqueuedNanos() + maxDelayNanos;
            try {
                while (rows < settings.maxBatchSize()) {
                    Pending<I, O> next = queue.peek();
                    if (next == null) {
                        long wait = deadline - System.nanoTime();
                        if (wait <= 0 || !accepting) {
                            break;
                        }
                        next = queue.poll(wait, TimeUnit.NANOSECONDS);
                        if (next == null) {
                            break;
                        }
                        if (rows + next.rows() > settings.maxBatchSize()) {
                            // Taken already: it cannot be put back at the head, so it runs alone right after.
                            run(batch, rows);
                            batch = new ArrayList<>(List.of(next));
                            rows = next.rows();
                            break;
                        }
                    } else if (rows + next.rows() > settings.maxBatchSize()) {
                        break;
                    } else {
                        queue.poll();
                    }
                    batch.add(next);
                    rows += next.rows();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            run(batch, rows);
        }
    }

    private void run(List<Pending<I, O>> batch, int rows) {
        List<O> results = null;
        Throwable failure = null;
        try {
            long now = System.nanoTime();
            List<I> requests = new ArrayList<>(batch.size());
            for (Pending<I, O> pending : batch) {
                listener.dequeued(now - pending.enqueuedNanos());
                requests.add(pending.request());
            }
            listener.batch(batch.size(), rows);
            results = handler.handle(requests);
            if (results.size() != batch.size()) {
                throw new IllegalStateException(
                        "the handler returned " + results.size() + " results for " + batch.size() + " requests");
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            // Finished before anyone hears of it: a client's next request, sent on this answer, finds us idle.
            unfinished.addAndGet(-batch.size());
        }
        for (int i = 0; i < batch.size(); i++) {
            if (failure != null) {
                batch.get(i).result().completeExceptionally(failure);
            } else {
                batch.get(i).result().complete(results.get(i));
            }
        }
    }
}
