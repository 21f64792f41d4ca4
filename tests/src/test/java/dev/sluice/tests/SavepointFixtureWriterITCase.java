package dev.sluice.tests;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.jobs.SluicePipeline;
import dev.sluice.sink.ObjectSink;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes the savepoint fixture of the current build (see {@link SavepointFixture}); runs only when
 * asked to with {@code -Dsluice.fixture.write=VERSION}.
 */
@EnabledIfSystemProperty(named = "sluice.fixture.write", matches = "v[0-9]+")
class SavepointFixtureWriterITCase extends ServersTestBase {

    @Test
    void writeFixture() throws Exception {
        String version = System.getProperty("sluice.fixture.write");
        s3.createBucket(SavepointFixture.BUCKET);
        createTopics(SavepointFixture.NAME);
        Configuration conf = jobConfiguration(SavepointFixture.NAME, false);
        StreamExecutionEnvironment env = environment(conf);
        SluicePipeline.define(
                SluiceJob.logs(env, conf),
                SluiceJob.configUpdates(env, conf),
                TenantFixture.config(
                        s3, SavepointFixture.BUCKET, id -> 0, SavepointFixture.INTERVAL_SECONDS),
                SluiceOptions.guard(conf),
                new ObjectSink(),
                SluiceJob.deadLetterSink(conf));
        JobClient job = env.executeAsync("sluice-fixture");
        for (int c = 1; c <= SavepointFixture.CUSTOMERS_WITH_RECORDS; c++) {
            TenantFixture.produce(
                    kafka.bootstrapServers(),
                    SavepointFixture.NAME + "-logs",
                    TenantFixture.customer(c),
                    "f",
                    SavepointFixture.RECORDS_PER_CUSTOMER);
        }
        long expected =
                (SavepointFixture.CUSTOMERS_WITH_RECORDS + 1L)
                        * SavepointFixture.RECORDS_PER_CUSTOMER;
        while (RoutedCounts.total(job) < expected) {
            Thread.sleep(200);
        }
        String savepoint =
                job.stopWithSavepoint(
                                false,
                                dir.resolve("fixture").toUri().toString(),
                                SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);

        Path target = Path.of("src/test/resources", SavepointFixture.resourceDir(version));
        FileUtils.deleteDirectory(target.toFile());
        FileUtils.copy(
                new org.apache.flink.core.fs.Path(URI.create(savepoint)),
                new org.apache.flink.core.fs.Path(target.toAbsolutePath().toUri()),
                false);
        assertThat(target.resolve("_metadata")).exists();
    }
}
