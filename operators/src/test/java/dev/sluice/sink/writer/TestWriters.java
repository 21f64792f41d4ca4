package dev.sluice.sink.writer;

import dev.sluice.sink.park.DestinationHealth;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/** Sink writers for tests: no park, the job's default health windows, the wall clock. */
final class TestWriters {

    private TestWriters() {}

    static ObjectSinkWriter unparked(boolean abortStaleUploads, long wholeObjectMaxBytes) {
        return new ObjectSinkWriter(
                UnregisteredMetricsGroup.createSinkWriterMetricGroup(),
                "",
                new DestinationHealth(30_000, 120_000),
                System::currentTimeMillis,
                abortStaleUploads,
                wholeObjectMaxBytes);
    }
}
