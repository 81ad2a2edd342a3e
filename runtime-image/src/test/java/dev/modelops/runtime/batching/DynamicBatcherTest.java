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
    void aRequestAloneRunsOnTheSubmittingThreadAndOneWhileBusyQueues() throws Exception {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        List<String> observed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch gate = new CountDownLatch(1);
        DynamicBatcher.Listener listener = new DynamicBatcher.Listener() {
            @Override
            public void batch(int requests, int rows) {
                observed.add(requests + "x" + rows);
            }
        };
        try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("inline", new DynamicBatcher.Settings(8,
                Duration.ZERO, 10), r -> r, requests -> {
                    threads.add(Thread.currentThread().getName());
                    if (requests.contains(5)) {
                        gate.await(10, TimeUnit.SECONDS);
                    }
                    return requests.stream().map(r -> r * 10).toList();
                }, listener)) {
            String caller = Thread.currentThread().getName();
            CompletableFuture<Integer> alone = batcher.submit(2, true);
            assertThat(alone).isCompletedWithValue(20);
            assertThat(threads).containsExactly(caller);
            // Without asking, even an idle batcher queues.
            assertThat(batcher.submit(1, false).get(5, TimeUnit.SECONDS)).isEqualTo(10);
            assertThat(threads).containsExactly(caller, "batcher-inline");

            // While a batch runs on the worker, a request that may run inline queues behind it instead.
            CompletableFuture<Integer> blocking = batcher.submit(5, false);
            waitUntil(() -> batcher.queued() == 0 && threads.size() == 3);
            CompletableFuture<Integer> whileBusy = batcher.submit(3, true);
            assertThat(whileBusy).isNotDone();
            gate.countDown();
            assertThat(blocking.get(5, TimeUnit.SECONDS)).isEqualTo(50);
            assertThat(whileBusy.get(5, TimeUnit.SECONDS)).isEqualTo(30);
            assertThat(threads).containsExactly(caller, "batcher-inline", "batcher-inline", "batcher-inline");

            // Idle again once its answer is out: the next one runs inline.
            assertThat(batcher.submit(4, true)).isCompletedWithValue(40);
            assertThat(threads.get(4)).isEqualTo(caller);
            // The listener saw every batch, the inline ones included.
            assertThat(observed).containsExactly("1x2", "1x1", "1x5", "1x3", "1x4");
        }
    }

    @Test
    void withADelayARequestAloneWaitsForCompanyOnTheWorker() throws Exception {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("delayed", new DynamicBatcher.Settings(8,
                Duration.ofMillis(50), 10), r -> r, requests -> {
                    threads.add(Thread.currentThread().getName());
                    return requests;
                }, DynamicBatcher.Listener.NONE)) {
            CompletableFuture<Integer> result = batcher.submit(1, true);
            assertThat(result).isNotDone();
            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(threads).containsExactly("batcher-delayed");
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
            // Inline, the failure comes through the future too, and the batcher is idle (inline) again after it.
            assertThat(batcher.submit(-1, true)).isCompletedExceptionally();
            assertThat(batcher.submit(8, true)).isCompletedWithValue(8);
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
