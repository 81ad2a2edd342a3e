package dev.modelops.runtime.batching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The batching core through its own API: futures in, batches out, no HTTP and no model. */
class DynamicBatcherTest {

    private final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());

    private DynamicBatcher<Integer, Integer> batcher(int maxBatch, Duration delay, int capacity,
            CountDownLatch gate) {
        return new DynamicBatcher<>("test", new DynamicBatcher.Settings(maxBatch, delay, capacity), r -> r,
                requests -> {
                    gate.await(10, TimeUnit.SECONDS);
                    batches.add(List.copyOf(requests));
                    return requests.stream().map(r -> r * 10).toList();
                }, DynamicBatcher.Listener.NONE);
    }

    @Test
    void requestsWaitingTogetherAreMergedUpToTheMaximumRows() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (DynamicBatcher<Integer, Integer> batcher = batcher(4, Duration.ZERO, 100, gate)) {
            // The first request blocks the worker; the rest queue up behind it.
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            results.add(batcher.submit(1));
            waitUntil(() -> batcher.queued() == 0);
            for (int rows : List.of(1, 1, 2, 1, 3, 1)) {
                results.add(batcher.submit(rows));
            }
            gate.countDown();
            List<Integer> values = new ArrayList<>();
            for (CompletableFuture<Integer> result : results) {
                values.add(result.get(5, TimeUnit.SECONDS));
            }
            assertThat(values).containsExactly(10, 10, 10, 20, 10, 30, 10);
            // Rows per batch never exceed 4 and the queued requests shared batches, in order.
            assertThat(batches).containsExactly(List.of(1), List.of(1, 1, 2), List.of(1, 3), List.of(1));
        }
    }

    @Test
    void aLoneRequestRunsAfterTheMaximumDelay() throws Exception {
        CountDownLatch open = new CountDownLatch(0);
        try (DynamicBatcher<Integer, Integer> batcher = batcher(8, Duration.ofMillis(300), 10, open)) {
            long start = System.nanoTime();
            CompletableFuture<Integer> first = batcher.submit(1);
            Thread.sleep(40);
            CompletableFuture<Integer> second = batcher.submit(1);
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(10);
            assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(10);
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertThat(waited).isBetween(290L, 3000L);
            assertThat(batches).containsExactly(List.of(1, 1));
        }
    }

    @Test
    void aFullQueueRejectsAtOnceWithoutGrowing() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (DynamicBatcher<Integer, Integer> batcher = batcher(1, Duration.ZERO, 3, gate)) {
            CompletableFuture<Integer> running = batcher.submit(1);
            waitUntil(() -> batcher.queued() == 0);
            List<CompletableFuture<Integer>> queued = List.of(batcher.submit(1), batcher.submit(1), batcher.submit(
                    1));
            CompletableFuture<Integer> rejected = batcher.submit(1);
            assertThat(rejected).isCompletedExceptionally();
            assertThatThrownBy(rejected::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(
                    DynamicBatcher.QueueFullException.class);
            assertThat(batcher.queued()).isEqualTo(3);
            gate.countDown();
            assertThat(running.get(5, TimeUnit.SECONDS)).isEqualTo(10);
            for (CompletableFuture<Integer> result : queued) {
                assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(10);
            }
        }
    }

    @Test
    void aFailingBatchFailsItsRequestsAndTheNextBatchStillRuns() throws Exception {
        try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("failing", new DynamicBatcher.Settings(
                4, Duration.ZERO, 10), r -> 1, requests -> {
                    if (requests.contains(-1)) {
                        throw new IllegalArgumentException("bad batch");
                    }
                    return requests;
                }, DynamicBatcher.Listener.NONE)) {
            assertThatThrownBy(() -> batcher.submit(-1).get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(
                    IllegalArgumentException.class);
            assertThat(batcher.submit(7).get(5, TimeUnit.SECONDS)).isEqualTo(7);
        }
    }

    @Test
    void closingRunsWhatIsQueuedAndRefusesNewRequests() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        DynamicBatcher<Integer, Integer> batcher = batcher(1, Duration.ZERO, 10, gate);
        CompletableFuture<Integer> first = batcher.submit(1);
        CompletableFuture<Integer> second = batcher.submit(2);
        Thread opener = new Thread(() -> {
            sleep(100);
            gate.countDown();
        });
        opener.start();
        batcher.close(Duration.ofSeconds(5));
        assertThat(first.get(1, TimeUnit.SECONDS)).isEqualTo(10);
        assertThat(second.get(1, TimeUnit.SECONDS)).isEqualTo(20);
        assertThat(batcher.submit(3)).isCompletedExceptionally();
        opener.join();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 5 s");
            }
            sleep(1);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
