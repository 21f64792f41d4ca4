package dev.sluice.jobs;

import dev.sluice.metrics.LogLimiter;

import org.apache.flink.metrics.Counter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;

/**
 * Counts the records a source refuses before they reach the job, and logs them with their place in
 * the topic a line a second at most: a flood of bad records costs a line a second, not a disk.
 */
final class RefusedRecords {

    private final Logger log;
    private final String what;
    private final LogLimiter limiter = LogLimiter.perSecond();

    /**
     * @param what the topic's role, as a log line begins: "Config topic"
     */
    RefusedRecords(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    void refuse(Counter counter, ConsumerRecord<?, ?> record, String why) {
        counter.inc();
        if (limiter.allow()) {
            log.warn(
                    "{} {} partition {} offset {}: {} ({} more refused since the last line)",
                    what,
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    why,
                    limiter.takeHeld());
        }
    }
}
