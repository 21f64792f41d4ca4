package dev.sluice.config;

import dev.sluice.testing.TestConfigs;

import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedStartConfigsTest {

    /** A hash no other test uses, so leases held elsewhere in this JVM never interfere. */
    private final String sha = "test-" + UUID.randomUUID();

    private final AtomicInteger parses = new AtomicInteger();

    private ParsedStartConfig parse() throws Exception {
        parses.incrementAndGet();
        return ParsedStartConfig.of(
                ConfigParser.parse(TestConfigs.version(1).job(1, "acme").json()));
    }

    @Test
    void twoSubtasksGetTheSameParsedConfig() throws Exception {
        SharedStartConfigs.Lease first = SharedStartConfigs.acquire(sha, this::parse);
        SharedStartConfigs.Lease second = SharedStartConfigs.acquire(sha, this::parse);

        assertThat(second.config()).isSameAs(first.config());
        assertThat(second.config().active()).isSameAs(first.config().active());
        assertThat(parses).hasValue(1);
        first.release();
        second.release();
    }

    @Test
    void parsesAfreshOnceEveryLeaseIsReturned() throws Exception {
        int before = SharedStartConfigs.size();
        SharedStartConfigs.Lease first = SharedStartConfigs.acquire(sha, this::parse);
        SharedStartConfigs.Lease second = SharedStartConfigs.acquire(sha, this::parse);
        ParsedStartConfig old = first.config();

        first.release();
        first.release(); // twice counts once
        SharedStartConfigs.Lease third = SharedStartConfigs.acquire(sha, this::parse);
        assertThat(third.config()).isSameAs(old);
        second.release();
        third.release();
        assertThat(SharedStartConfigs.size()).isEqualTo(before);

        SharedStartConfigs.Lease fresh = SharedStartConfigs.acquire(sha, this::parse);
        assertThat(fresh.config()).isNotSameAs(old);
        assertThat(parses).hasValue(2);
        fresh.release();
    }

    @Test
    void aFailedParseIsNotKept() throws Exception {
        int before = SharedStartConfigs.size();
        assertThatThrownBy(
                        () ->
                                SharedStartConfigs.acquire(
                                        sha,
                                        () -> {
                                            throw new IllegalStateException("file changed");
                                        }))
                .hasMessage("file changed");
        assertThat(SharedStartConfigs.size()).isEqualTo(before);

        SharedStartConfigs.Lease lease = SharedStartConfigs.acquire(sha, this::parse);
        assertThat(lease.config().active().job(1)).isPresent();
        lease.release();
    }

    @Test
    void concurrentFirstSubtasksWaitForOneParse() throws Exception {
        CountDownLatch parsing = new CountDownLatch(1);
        CountDownLatch bothAsked = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<SharedStartConfigs.Lease> first =
                    pool.submit(
                            () ->
                                    SharedStartConfigs.acquire(
                                            sha,
                                            () -> {
                                                parsing.countDown();
                                                // Slow, as a large config is, while the second
                                                // asks.
                                                bothAsked.await(10, TimeUnit.SECONDS);
                                                return parse();
                                            }));
            parsing.await(10, TimeUnit.SECONDS);
            Future<SharedStartConfigs.Lease> second =
                    pool.submit(() -> SharedStartConfigs.acquire(sha, this::parse));
            Thread.sleep(100);
            bothAsked.countDown();

            assertThat(second.get(10, TimeUnit.SECONDS).config())
                    .isSameAs(first.get(10, TimeUnit.SECONDS).config());
            assertThat(parses).hasValue(1);
            first.get().release();
            second.get().release();
        } finally {
            pool.shutdownNow();
        }
    }
}
