package dev.sluice.tools;

import dev.sluice.config.ConfigParser;
import dev.sluice.config.DeliveryJob;
import dev.sluice.sink.BatchOpened;
import dev.sluice.status.JobStatus;
import dev.sluice.status.StatusEvent;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code jobs status} says of a job from its status and the config in force. */
class JobStatusRowTest {

    private static DeliveryJob job(long id, boolean enabled) throws Exception {
        return ConfigParser.parse(
                        String.format(
                                "{\"version\": 1, \"jobs\": [{\"id\": %d, \"customer_id\":"
                                    + " \"acme\", \"dataset\": \"http_requests\", \"enabled\": %s,"
                                    + " \"destination_conf\": \"s3://logs/acme\"}]}",
                                id, enabled))
                .jobs()
                .get(0);
    }

    private static final JobStatus PARKED =
            JobStatus.initial(7).with(new StatusEvent(7, 1_000, 3, 30, "403 Access Denied", 0));

    @Test
    void theStateSaysWhereToLookNext() throws Exception {
        assertThat(new JobStatusRow(7, job(7, true), null).state()).isEqualTo("pending");
        assertThat(new JobStatusRow(7, job(7, true), PARKED).state()).isEqualTo("failing");
        assertThat(new JobStatusRow(7, job(7, false), PARKED).state()).isEqualTo("disabled");
        assertThat(new JobStatusRow(7, null, PARKED).state()).isEqualTo("removed");
    }

    @Test
    void aJobWhoseFirstBatchIsOpenIsPendingWithTheAgeOfItsOldestRecord() throws Exception {
        JobStatus open =
                JobStatus.initial(7).with(StatusEvent.opened(new BatchOpened(7, 0, 1_000)));
        JobStatusRow row = new JobStatusRow(7, job(7, true), open);
        assertThat(row.state()).isEqualTo("pending");
        assertThat(row.toJson().get("oldest_buffered").asText()).isEqualTo("1970-01-01T00:00:01Z");

        StringWriter table = new StringWriter();
        StatusTable.print(new PrintWriter(table), java.util.List.of(row), 186_000);
        assertThat(table.toString()).contains("BUFFERED").contains("3m05s");
        assertThat(StatusTable.age(0, 186_000)).isEqualTo("-");
        assertThat(StatusTable.age(1_000, 43_000)).isEqualTo("42s");
        assertThat(StatusTable.age(0 + 1, 7_800_001)).isEqualTo("2h10m");
    }

    @Test
    void theJsonHasTheLogpushFieldsWithNullsForNever() throws Exception {
        var json = new JobStatusRow(7, job(7, true), PARKED).toJson();

        assertThat(json.get("id").asLong()).isEqualTo(7);
        assertThat(json.get("customer_id").asText()).isEqualTo("acme");
        assertThat(json.get("state").asText()).isEqualTo("failing");
        assertThat(json.get("last_complete").isNull()).isTrue();
        assertThat(json.get("last_error").asText()).isEqualTo("1970-01-01T00:00:01Z");
        assertThat(json.get("error_message").asText()).isEqualTo("403 Access Denied");
        assertThat(new JobStatusRow(8, job(8, true), null).toJson().get("error_message").isNull())
                .isTrue();
    }

    /** Only a snapshot can be forced; refused before Kafka is asked anything. */
    @Test
    void forceOnAnUpsertIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("publish");
        Path upsert =
                Files.writeString(
                        dir.resolve("upsert.json"),
                        "{\"version\": 2, \"upsert\": {\"id\": 7, \"customer_id\": \"acme\","
                                + " \"dataset\": \"http_requests\","
                                + " \"destination_conf\": \"s3://logs/acme\"}}");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ConfigCommand());
        cli.setErr(new PrintWriter(err));

        int status =
                cli.execute(
                        "publish", "--bootstrap-servers=127.0.0.1:1", "--force", upsert.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("--force marks a snapshot");
    }
}
