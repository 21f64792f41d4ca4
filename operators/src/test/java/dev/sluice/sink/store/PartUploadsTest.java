package dev.sluice.sink.store;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class PartUploadsTest {

    @Test
    void holdsTheTaskThreadOnceTheSlotsAreTakenAndRunsPartsInParallel() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        try (PartUploads uploads = new PartUploads(2)) {
            CompletableFuture<String> a = uploads.submit(() -> hold(release, running, peak, "a"));
            CompletableFuture<String> b = uploads.submit(() -> hold(release, running, peak, "b"));

            CompletableFuture<CompletableFuture<String>> third =
                    CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return uploads.submit(() -> "c");
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            Thread.sleep(200);
            assertThat(third).as("a third part waits for a slot").isNotDone();

            release.countDown();
            assertThat(third.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS)).isEqualTo("c");
            assertThat(a.get()).isEqualTo("a");
            assertThat(b.get()).isEqualTo("b");
            assertThat(peak.get()).as("both slots were used at once").isEqualTo(2);
        }
    }

    @Test
    void aFailedPartFailsItsFutureAndFreesItsSlot() throws Exception {
        try (PartUploads uploads = new PartUploads(1)) {
            CompletableFuture<String> failed =
                    uploads.submit(
                            () -> {
                                throw new java.io.IOException("store said no");
                            });
            assertThat(failed).failsWithin(10, TimeUnit.SECONDS);
            assertThat(uploads.submit(() -> "next").get(10, TimeUnit.SECONDS)).isEqualTo("next");
        }
    }

    private static String hold(
            CountDownLatch release, AtomicInteger running, AtomicInteger peak, String value)
            throws InterruptedException {
        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
        release.await(10, TimeUnit.SECONDS);
        running.decrementAndGet();
        return value;
    }
}
