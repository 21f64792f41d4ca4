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

class SharedConfigsTest {

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
        SharedConfigs.Lease<ParsedStartConfig> first =
                SharedConfigs.STARTS.acquire(sha, this::parse);
        SharedConfigs.Lease<ParsedStartConfig> second =
                SharedConfigs.STARTS.acquire(sha, this::parse);

        assertThat(second.value()).isSameAs(first.value());
        assertThat(second.value().state().active()).isSameAs(first.value().state().active());
        assertThat(parses).hasValue(1);
        first.release();
        second.release();
    }

    @Test
    void parsesAfreshOnceEveryLeaseIsReturned() throws Exception {
        int before = SharedConfigs.STARTS.size();
        SharedConfigs.Lease<ParsedStartConfig> first =
                SharedConfigs.STARTS.acquire(sha, this::parse);
        SharedConfigs.Lease<ParsedStartConfig> second =
                SharedConfigs.STARTS.acquire(sha, this::parse);
        ParsedStartConfig old = first.value();

        first.release();
        first.release(); // twice counts once
        SharedConfigs.Lease<ParsedStartConfig> third =
                SharedConfigs.STARTS.acquire(sha, this::parse);
        assertThat(third.value()).isSameAs(old);
        second.release();
        third.release();
        assertThat(SharedConfigs.STARTS.size()).isEqualTo(before);

        SharedConfigs.Lease<ParsedStartConfig> fresh =
                SharedConfigs.STARTS.acquire(sha, this::parse);
        assertThat(fresh.value()).isNotSameAs(old);
        assertThat(parses).hasValue(2);
        fresh.release();
    }

    @Test
    void aFailedParseIsNotKept() throws Exception {
        int before = SharedConfigs.STARTS.size();
        assertThatThrownBy(
                        () ->
                                SharedConfigs.STARTS.acquire(
                                        sha,
                                        () -> {
                                            throw new IllegalStateException("file changed");
                                        }))
                .hasMessage("file changed");
        assertThat(SharedConfigs.STARTS.size()).isEqualTo(before);

        SharedConfigs.Lease<ParsedStartConfig> lease =
                SharedConfigs.STARTS.acquire(sha, this::parse);
        assertThat(lease.value().state().active().job(1)).isPresent();
        lease.release();
    }

    @Test
    void concurrentFirstSubtasksWaitForOneParse() throws Exception {
        CountDownLatch parsing = new CountDownLatch(1);
        CountDownLatch bothAsked = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<SharedConfigs.Lease<ParsedStartConfig>> first =
                    pool.submit(
                            () ->
                                    SharedConfigs.STARTS.acquire(
                                            sha,
                                            () -> {
                                                parsing.countDown();
                                                // Slow, as a large config is, while the second
                                                // asks.
                                                bothAsked.await(10, TimeUnit.SECONDS);
                                                return parse();
                                            }));
            parsing.await(10, TimeUnit.SECONDS);
            Future<SharedConfigs.Lease<ParsedStartConfig>> second =
                    pool.submit(() -> SharedConfigs.STARTS.acquire(sha, this::parse));
            Thread.sleep(100);
            bothAsked.countDown();

            assertThat(second.get(10, TimeUnit.SECONDS).value())
                    .isSameAs(first.get(10, TimeUnit.SECONDS).value());
            assertThat(parses).hasValue(1);
            first.get().release();
            second.get().release();
        } finally {
            pool.shutdownNow();
        }
    }
}
