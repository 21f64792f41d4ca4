package dev.sluice.route;

import dev.sluice.config.ActiveConfig;
import dev.sluice.config.ConfigHolder;
import dev.sluice.config.DeliveryJob;
import dev.sluice.config.InvalidConfigException;
import dev.sluice.config.StartConfig;
import dev.sluice.config.TimestampFormat;
import dev.sluice.schemas.LogEvent;
import dev.sluice.schemas.SingleObjectEncoding;
import dev.sluice.testing.GeneratedConfigs;
import dev.sluice.testing.GeneratedEvents;
import dev.sluice.testing.TestConfigs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever arrives on the logs topic, under whatever jobs validation accepts, the router never
 * throws: each value is routed to its jobs (or filtered or sampled out, and reported), dropped as
 * unconfigured, or dead-lettered with the decoder's reason, and every record is accounted for.
 */
class RouteFunctionFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Property(tries = 200)
    void everyValueIsRoutedDroppedOrDeadLettered(
            @ForAll("configs") String config, @ForAll("values") List<byte[]> values)
            throws Exception {
        ActiveConfig active = ActiveConfig.parse(config);
        RouteFunction function = new RouteFunction(new ConfigHolder(StartConfig.inline(config)));
        Map<Long, Long> expectedIn = new HashMap<>();
        Map<Long, Long> routed = new HashMap<>();
        try (BroadcastOperatorTestHarness<byte[], RouteUpdate, RoutedRecord> h =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        function, dev.sluice.config.ConfigHolder.CONFIG_STATE)) {
            LogEventDecoder oracle = new LogEventDecoder();
            for (byte[] value : values) {
                int outputsBefore = h.extractOutputValues().size();
                int lettersBefore = deadLetters(h).size();

                h.processElement(value, 0);

                List<RoutedRecord> out = h.extractOutputValues();
                List<RoutedRecord> added = out.subList(outputsBefore, out.size());
                List<DeadLetter> letters = deadLetters(h);
                List<DeadLetter> newLetters = letters.subList(lettersBefore, letters.size());
                if (value != null && value.length > RouteFunction.DEFAULT_MAX_RECORD_BYTES) {
                    assertThat(added).isEmpty();
                    assertThat(newLetters)
                            .singleElement()
                            .satisfies(d -> assertThat(d.reason).startsWith("oversize record"));
                    continue;
                }
                LogEvent event;
                try {
                    event = oracle.decode(value, null);
                } catch (UndecodableRecordException e) {
                    assertThat(added).isEmpty();
                    assertThat(newLetters)
                            .singleElement()
                            .satisfies(d -> assertThat(d.reason).isEqualTo(e.getMessage()));
                    continue;
                }
                if (!TimestampFormat.representable(event.getTimestampMicros())) {
                    assertThat(added).isEmpty();
                    assertThat(newLetters)
                            .singleElement()
                            .satisfies(d -> assertThat(d.reason).startsWith("timestamp_micros"));
                    continue;
                }
                assertThat(newLetters).as("no job's filter, sampler or encoder fails").isEmpty();
                List<Long> jobs = jobsOf(active, event);
                jobs.forEach(id -> expectedIn.merge(id, 1L, Long::sum));
                assertThat(jobs).containsAll(added.stream().map(r -> r.jobId).toList());
                for (RoutedRecord record : added) {
                    assertThat(record.line).isNotNull();
                    assertThat(record.timestampMicros).isEqualTo(event.getTimestampMicros());
                    routed.merge(record.jobId, 1L, Long::sum);
                    assertPlainNdjsonIsJson(active, record);
                }
            }
            Map<Long, Long> accounted = new HashMap<>(routed);
            function.reportLedger(
                    r -> accounted.merge(r.jobId, r.filtered + r.sampledOut, Long::sum));
            assertThat(accounted).isEqualTo(expectedIn);
        }
    }

    /** The enabled jobs of the event's customer and dataset. */
    private static List<Long> jobsOf(ActiveConfig config, LogEvent event) {
        List<Long> ids = new ArrayList<>();
        for (DeliveryJob job : config.snapshot().jobs()) {
            if (job.enabled()
                    && job.customerId().equals(event.getCustomerId())
                    && job.dataset().equals(event.getDataset())) {
                ids.add(job.id());
            }
        }
        return ids;
    }

    private static void assertPlainNdjsonIsJson(ActiveConfig config, RoutedRecord record)
            throws Exception {
        DeliveryJob job = config.job(record.jobId).orElseThrow();
        var options = job.outputOptions();
        if (options.outputType().equals("ndjson")
                && options.recordPrefix().equals("{")
                && options.recordSuffix().equals("}\n")
                && options.fieldDelimiter().equals(",")) {
            assertThat(JSON.readTree(record.line).isObject()).isTrue();
        }
    }

    private static List<DeadLetter> deadLetters(
            BroadcastOperatorTestHarness<byte[], RouteUpdate, RoutedRecord> h) {
        Queue<StreamRecord<DeadLetter>> letters = h.getSideOutput(RouteFunction.DEAD_LETTERS);
        return letters == null ? List.of() : letters.stream().map(StreamRecord::getValue).toList();
    }

    /** One to four jobs of the generated customers and datasets, each one validation accepts. */
    @Provide
    Arbitrary<String> configs() {
        Arbitrary<String> filters =
                Arbitraries.frequencyOf(
                        Tuple.of(1, Arbitraries.just("")), Tuple.of(1, GeneratedConfigs.filters()));
        Arbitrary<String> jobs =
                Combinators.combine(
                                customers(), datasets(), GeneratedConfigs.outputOptions(), filters)
                        .as(JobSpec::new)
                        .filter(JobSpec::valid)
                        .map(JobSpec::json);
        return jobs.list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .map(
                        list -> {
                            TestConfigs configs = TestConfigs.version(1);
                            for (int i = 0; i < list.size(); i++) {
                                configs.rawJob(
                                        list.get(i).replace("\"id\":0", "\"id\":" + (i + 1)));
                            }
                            return configs.json();
                        });
    }

    @Provide
    Arbitrary<List<byte[]>> values() {
        return Arbitraries.frequencyOf(
                        Tuple.of(10, GeneratedEvents.values()),
                        Tuple.of(
                                10,
                                GeneratedEvents.events(customers(), datasets())
                                        .map(SingleObjectEncoding::toBytes)),
                        Tuple.of(1, Arbitraries.just(null)))
                .list()
                .ofMinSize(1)
                .ofMaxSize(12);
    }

    /** Mostly one customer and dataset, so that records meet every job. */
    private static Arbitrary<String> customers() {
        return Arbitraries.of("acme", "acme", "acme", "globex");
    }

    private static Arbitrary<String> datasets() {
        return Arbitraries.of(TestConfigs.DATASET, TestConfigs.DATASET, "dns_logs");
    }

    /** A generated job, id 0 until its config numbers it. */
    private record JobSpec(String customer, String dataset, ObjectNode options, String filter) {

        String json() {
            return GeneratedConfigs.job(0, customer, dataset, options, filter);
        }

        boolean valid() {
            String config =
                    TestConfigs.version(1)
                            .rawJob(GeneratedConfigs.job(1, customer, dataset, options, filter))
                            .json();
            try {
                ActiveConfig.parse(config);
                return true;
            } catch (InvalidConfigException e) {
                return false;
            }
        }
    }
}
