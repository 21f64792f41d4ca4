package dev.sluice.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of one local run.
 *
 * @param duration how long to run before stopping with a drain; zero runs until interrupted
 * @param customers how many customers the sample config and the generator know
 * @param rate generated records per second (0 with {@code generator} off)
 * @param maxUploadRecords the sample jobs' {@code max_upload_records} (0 = Logpush default)
 * @param flinkConfDir a directory with a config.yaml of settings, or null
 * @param credentialsDir where the run writes its S3 keys as the credential {@code local}, outside
 *     {@code dataDir}; null for a temporary directory deleted after the run
 * @param settings Sluice and Flink settings ({@code --set KEY=VALUE}), over the file's
 */
public record LocalSettings(
        Duration duration,
        int customers,
        long rate,
        boolean generator,
        long maxUploadRecords,
        Path dataDir,
        Path credentialsDir,
        Path summaryJson,
        int kafkaPort,
        int s3Port,
        int webPort,
        Path flinkConfDir,
        Map<String, String> settings) {}
