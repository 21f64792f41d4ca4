package dev.sluice.jobs;

import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether a bounded run can read the schema topic. A bounded Kafka source subscribed to a pattern
 * that matches no topic never finishes (its enumerator never says there are no more splits), so a
 * bounded run (a backfill) without a schema topic leaves the schema source out: the router decodes
 * with the schemas in its state, as it would with an empty topic.
 */
final class SchemaTopicCheck {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaTopicCheck.class);
    private static final long TIMEOUT_SECONDS = 10;

    private SchemaTopicCheck() {}

    /** Whether to read the schema topic; true unless a bounded run finds it missing. */
    static boolean readSchemaTopic(Configuration conf) {
        if (!conf.get(SluiceOptions.BOUNDED)) {
            return true;
        }
        String topic = conf.get(SluiceOptions.SCHEMA_TOPIC);
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                conf.get(SluiceOptions.BOOTSTRAP_SERVERS)))) {
            boolean exists =
                    admin.listTopics()
                            .names()
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .contains(topic);
            if (!exists) {
                LOG.info(
                        "Bounded run without the schema topic {}: writer schemas are those in"
                                + " state only",
                        topic);
            }
            return exists;
        } catch (ExecutionException | TimeoutException e) {
            // Kafka will say more when the sources start; keep the topic in the job.
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
