package dev.sluice.jobs;

import dev.sluice.status.JobStatus;

import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;

/**
 * Writes a job's status to the compacted status topic: key the job id in decimal (compaction keeps
 * each job's latest), value its JSON ({@link JobStatus#toJson}).
 */
public final class JobStatusRecordSerializer implements KafkaRecordSerializationSchema<JobStatus> {

    private static final long serialVersionUID = 1L;

    private final String topic;

    JobStatusRecordSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            JobStatus status, KafkaSinkContext context, Long timestamp) {
        return new ProducerRecord<>(
                topic,
                null,
                timestamp,
                Long.toString(status.jobId()).getBytes(StandardCharsets.UTF_8),
                status.toJsonBytes());
    }
}
