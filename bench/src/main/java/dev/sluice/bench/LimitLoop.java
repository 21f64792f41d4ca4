package dev.sluice.bench;

import dev.sluice.buffer.BufferSettings;
import dev.sluice.buffer.ChunkCompressor;
import dev.sluice.buffer.PendingLines;
import dev.sluice.config.ConfigParser;
import dev.sluice.config.DeliveryJob;
import dev.sluice.config.InvalidConfigException;
import dev.sluice.config.filter.RecordFilter;
import dev.sluice.encode.BatchFraming;
import dev.sluice.encode.RecordEncoder;
import dev.sluice.encode.Sampler;
import dev.sluice.route.LogEventDecoder;
import dev.sluice.route.UndecodableRecordException;
import dev.sluice.schemas.LogEvent;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * L, the limit: the job's byte work in one tight single-threaded loop, without Flink or Kafka. Each
 * record is decoded ({@link LogEventDecoder}), routed to its customer's jobs, filtered, sampled and
 * encoded with the job's own {@link RecordEncoder}; each job's records are cut into chunks of
 * {@link BufferSettings#DEFAULT_CHUNK_BYTES} and gzip-compressed with {@link ChunkCompressor} at
 * the buffer's default level, as the buffer does. Nothing is stored or sent.
 */
final class LimitLoop {

    static final String DESCRIPTION =
            "one thread, in memory: Avro decode -> route -> filter/select -> NDJSON encode ->"
                    + " gzip chunks (level "
                    + BufferSettings.DEFAULT_GZIP_LEVEL
                    + "), with the job's own classes";

    /** One job's share of the loop: what decides and writes its records, and its open chunk. */
    private static final class Job {
        final RecordFilter filter;
        final Sampler sampler;
        final RecordEncoder encoder;
        final BatchFraming framing;
        final DeliveryJob config;
        final PendingLines pending = new PendingLines();
        boolean firstChunk = true;

        Job(DeliveryJob job) {
            this.config = job;
            this.filter = job.compileFilter();
            this.sampler = Sampler.forJob(job);
            this.encoder = RecordEncoder.forOptions(job.outputOptions());
            this.framing = BatchFraming.forOptions(job.outputOptions());
        }
    }

    /** What one pass over the input did. */
    record Pass(long records, long encodedBytes, long compressedBytes, long nanos) {}

    private final BenchInput input;
    private final String config;

    LimitLoop(BenchInput input, String config) {
        this.input = input;
        this.config = config;
    }

    /** One pass over every record, from a fresh routing table. */
    Pass run() throws InvalidConfigException, IOException {
        Map<String, Map<String, List<Job>>> routes = routes(ConfigParser.parse(config).jobs());
        LogEventDecoder decoder = new LogEventDecoder();
        try (ChunkCompressor compressor =
                new ChunkCompressor(
                        BufferSettings.DEFAULT_GZIP_LEVEL, BufferSettings.DEFAULT_ZSTD_LEVEL)) {
            LogEvent reuse = new LogEvent();
            long encoded = 0;
            long compressed = 0;
            long start = System.nanoTime();
            for (int i = 0; i < input.size(); i++) {
                byte[] value = input.value(i);
                LogEvent event;
                try {
                    event = decoder.decode(value, reuse);
                } catch (UndecodableRecordException e) {
                    continue;
                }
                for (Job job : routesOf(routes, event)) {
                    if (!job.filter.test(event) || !job.sampler.keep(value)) {
                        continue;
                    }
                    byte[] line = job.encoder.encode(event);
                    encoded += line.length;
                    job.pending.add(line);
                    if (job.pending.bytes() >= BufferSettings.DEFAULT_CHUNK_BYTES) {
                        compressed += compress(compressor, job, false);
                    }
                }
            }
            for (Map<String, List<Job>> datasets : routes.values()) {
                for (List<Job> jobs : datasets.values()) {
                    for (Job job : jobs) {
                        compressed += job.pending.isEmpty() ? 0 : compress(compressor, job, true);
                    }
                }
            }
            return new Pass(input.size(), encoded, compressed, System.nanoTime() - start);
        }
    }

    private static List<Job> routesOf(Map<String, Map<String, List<Job>>> routes, LogEvent e) {
        Map<String, List<Job>> datasets = routes.get(e.getCustomerId());
        return datasets == null ? List.of() : datasets.getOrDefault(e.getDataset(), List.of());
    }

    private static long compress(ChunkCompressor compressor, Job job, boolean last)
            throws IOException {
        byte[] chunk =
                compressor.compress(
                        job.config.outputOptions().codec(),
                        job.framing,
                        job.pending,
                        job.firstChunk,
                        last);
        job.firstChunk = false;
        job.pending.clear();
        return chunk.length;
    }

    /** The routing table as the router builds it: enabled jobs by customer and dataset. */
    private static Map<String, Map<String, List<Job>>> routes(List<DeliveryJob> jobs) {
        Map<String, Map<String, List<Job>>> routes = new HashMap<>();
        for (DeliveryJob job : jobs) {
            if (job.enabled()) {
                routes.computeIfAbsent(job.customerId(), c -> new HashMap<>())
                        .computeIfAbsent(job.dataset(), d -> new ArrayList<>())
                        .add(new Job(job));
            }
        }
        return routes;
    }
}
