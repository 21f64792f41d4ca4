package dev.sluice.tests;

import dev.sluice.jobs.SluiceJob;
import dev.sluice.jobs.SluiceOptions;
import dev.sluice.local.BucketReader;
import dev.sluice.local.DeliveredObject;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A bounded run of the whole job (a backfill: every source read to its end offsets) finishes and
 * delivers everything, also where no schema topic was ever created: a bounded Kafka source on a
 * pattern matching no topic would wait for one forever.
 */
class BoundedRunITCase extends ServersTestBase {

    private static final String NAME = "bounded";

    @Test
    void aBoundedRunWithoutASchemaTopicFinishesAndDeliversEveryRecordOnce() throws Exception {
        s3.createBucket(NAME);
        createTopics(NAME);
        TenantFixture.produce(kafka.bootstrapServers(), NAME + "-logs");
        Configuration conf = jobConfiguration(NAME, true);
        conf.set(SluiceOptions.SCHEMA_TOPIC, NAME + "-schemas-never-created");
        StreamExecutionEnvironment env = environment(conf);
        SluiceJob.define(env, conf, TenantFixture.config(s3, NAME));

        env.executeAsync("sluice-" + NAME).getJobExecutionResult().get(3, TimeUnit.MINUTES);

        List<DeliveredObject> objects = new BucketReader(s3Client, NAME).readNew();
        for (Map.Entry<Long, String> job : TenantFixture.jobs().entrySet()) {
            TenantFixture.assertEachRecordOnce(
                    job.getKey(), job.getValue(), DeliveredRecords.ids(objects, job.getKey()));
        }
    }
}
