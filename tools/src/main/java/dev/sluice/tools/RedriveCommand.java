package dev.sluice.tools;

import dev.sluice.config.Destination;
import dev.sluice.config.DestinationKind;
import dev.sluice.jobs.DurationConverter;
import dev.sluice.sink.Parking;
import dev.sluice.sink.StrandedUpload;
import dev.sluice.sink.store.IntegrityException;
import dev.sluice.sink.store.ListedObject;
import dev.sluice.sink.store.ObjectHead;
import dev.sluice.sink.store.ObjectStore;
import dev.sluice.sink.store.ObjectStores;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * {@code bin/sluice redrive --from PARK --to DESTINATION}: moves batches the sink parked back to
 * the keys they were meant to have, once their destination works again.
 *
 * <p>Each batch is copied whole (a single put or a multipart upload, so no partial object is ever
 * visible), its length checked, and only then is the parked copy deleted; a run that stopped after
 * a copy is completed by the next. Exit status: 0 every batch moved, 1 some failed (the others
 * still moved), 2 bad arguments or a refusal before anything moved.
 */
@Command(
        name = "redrive",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Moves parked batches back to the destination they were meant for, under their"
                    + " original keys.",
            "Each batch is copied whole, its length checked, and only then deleted from the park"
                    + " destination; running it again finishes an interrupted run.",
            "Exit status: 0 all moved, 1 some batches failed, 2 bad arguments or refused."
        })
public final class RedriveCommand implements Callable<Integer> {

    private static final String NAME = "sluice redrive";
    private static final int MIN_SCRUBBED = 4;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "PARK_DESTINATION",
            description = "The pipeline's park destination (a destination_conf, with credentials).")
    String from;

    @Option(
            names = "--to",
            required = true,
            paramLabel = "DESTINATION",
            description =
                    "The destination the batches were meant for: the job's destination_conf,"
                            + " with credentials. Only batches whose original keys lie under its"
                            + " prefix (up to any {DATE}) are moved.")
    String to;

    @Option(names = "--job", paramLabel = "ID", description = "Only the batches of this job.")
    Long job;

    @Option(
            names = "--all-jobs",
            description =
                    "Move the batches of every job found under the prefix; without it, batches of"
                            + " more than one job are refused.")
    boolean allJobs;

    @Option(
            names = "--force",
            description =
                    "Move batches whose recorded destination (sluice-destination) is not --to.")
    boolean force;

    @Option(names = "--dry-run", description = "Print what would be done; change nothing.")
    boolean dryRun;

    @Option(
            names = "--min-age",
            paramLabel = "DURATION",
            defaultValue = "10m",
            converter = DurationConverter.class,
            description =
                    "Leave batches parked less than this long ago (default ${DEFAULT-VALUE}; e.g."
                            + " 30s, 10m, 1h, 0): the job may still re-commit them after a restore"
                            + " from a recent checkpoint.")
    Duration minAge;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Gives a destination's store, from the stores the run opens and closes. */
    private final BiFunction<ObjectStores, Destination, ObjectStore> stores;

    public RedriveCommand() {
        this(ObjectStores::forDestination);
    }

    /** With other stores: tests fail or observe them. */
    RedriveCommand(BiFunction<ObjectStores, Destination, ObjectStore> stores) {
        this.stores = stores;
    }

    /** The park and the target, each with its store. */
    private record Ends(
            Destination park, ObjectStore parkStore, Destination target, ObjectStore targetStore) {}

    public static void main(String[] args) {
        System.exit(new CommandLine(new RedriveCommand()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Destination park;
        Destination target;
        try {
            park = parse("--from", from);
            target = parse("--to", to);
        } catch (IllegalArgumentException e) {
            return refuse(err, e.getMessage());
        }
        Optional<String> invalid = invalidCombination(park, target);
        if (invalid.isPresent()) {
            return refuse(err, invalid.get());
        }
        try (ObjectStores opened = new ObjectStores()) {
            Ends ends;
            try {
                ends =
                        new Ends(
                                park,
                                stores.apply(opened, park),
                                target,
                                stores.apply(opened, target));
            } catch (IllegalArgumentException e) {
                // A client that cannot be built: an endpoint that is not a URI, say.
                return refuse(err, e.getMessage());
            }
            return run(out, err, ends);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static Destination parse(String option, String conf) {
        try {
            return Destination.parse(conf);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }

    private Optional<String> invalidCombination(Destination park, Destination target) {
        if (job != null && allJobs) {
            return Optional.of("--job and --all-jobs exclude each other");
        }
        if (job != null && job < 0) {
            return Optional.of("--job must be a job id, not " + job);
        }
        if (park.kind().protocol() == DestinationKind.Protocol.LOCAL_FILES
                && park.prefix().isEmpty()) {
            return Optional.of("--from file:/// would search the whole file system; name its dir");
        }
        return ParkedBatches.overlap(park, target);
    }

    private int run(PrintWriter out, PrintWriter err, Ends ends) {
        Destination park = ends.park();
        String parkPrefix = park.prefix().isEmpty() ? "" : park.prefix() + "/";
        String parkLocation = ends.parkStore().location(park, parkPrefix);
        List<ListedObject> listed;
        try {
            listed = ends.parkStore().list(park, parkPrefix);
        } catch (IOException | RuntimeException e) {
            err.println(NAME + ": " + scrub(e.getMessage()));
            return 1;
        }
        List<ListedObject> settled =
                ParkedBatches.parkedBefore(listed, Instant.now().minus(minAge));
        int recent = listed.size() - settled.size();
        if (recent > 0) {
            out.println(
                    recent
                            + " object(s) parked less than "
                            + minAge.toSeconds()
                            + " s ago left alone (--min-age)");
        }
        ParkedBatches.Selection selection = ParkedBatches.select(park, ends.target(), settled);
        if (job != null) {
            selection = selection.forJob(job);
        } else if (selection.batchesPerJob().size() > 1 && !allJobs) {
            return refuse(
                    err,
                    "the parked batches under "
                            + parkLocation
                            + " for "
                            + Destination.redact(to)
                            + " belong to "
                            + selection.batchesPerJob().size()
                            + " jobs ("
                            + describe(selection.batchesPerJob())
                            + "); name one with --job ID, or pass --all-jobs if they all belong"
                            + " there");
        }
        out.println((dryRun ? "dry run: " : "") + "from " + Destination.redact(from));
        out.println((dryRun ? "dry run: " : "") + "to   " + Destination.redact(to));

        RedriveTotals totals = new RedriveTotals();
        for (ParkedBatches.Batch b : selection.batches()) {
            redrive(out, b, ends, totals);
        }
        totals.print(out, dryRun, selection, parkLocation);
        return totals.failed > 0 ? 1 : 0;
    }

    private void redrive(PrintWriter out, ParkedBatches.Batch b, Ends ends, RedriveTotals totals) {
        String source = ends.parkStore().location(ends.park(), b.parkedKey());
        String destination = ends.targetStore().location(ends.target(), b.originalKey());
        Long records = null;
        long length = b.length();
        RedriveOutcome outcome;
        String note = "";
        try {
            Optional<ObjectHead> parked = ends.parkStore().head(ends.park(), b.parkedKey());
            if (parked.isPresent() && b.stranded()) {
                StrandedUpload record = readStranded(ends, b);
                records = record.records();
                length = record.length();
                Moved moved = complete(b, record, ends);
                outcome = moved.outcome();
                note = moved.note();
            } else if (parked.isEmpty()) {
                outcome = RedriveOutcome.GONE;
                note = "no longer parked (another redrive?)";
            } else {
                ObjectHead p = parked.get();
                length = p.length();
                records = recordsOf(p.metadata());
                Optional<String> mismatch =
                        ends.parkStore().keepsMetadata() && !force
                                ? ParkedBatches.destinationMismatch(
                                        p.metadata().get(Parking.DESTINATION), ends.target())
                                : Optional.empty();
                if (mismatch.isPresent()) {
                    outcome = RedriveOutcome.FAILED;
                    note = "refused: " + mismatch.get() + "; --force moves it anyway";
                } else {
                    Moved moved = move(b, p, ends);
                    outcome = moved.outcome();
                    note = moved.note();
                }
            }
        } catch (IOException | RuntimeException e) {
            outcome = RedriveOutcome.FAILED;
            note = String.valueOf(e.getMessage());
        }
        out.printf(
                Locale.ROOT,
                "%-14s job %d seq %d, %s records, %d bytes: %s -> %s%s%n",
                outcome.label,
                b.jobId(),
                b.seq(),
                records == null ? "?" : records.toString(),
                length,
                source,
                destination,
                note.isEmpty() ? "" : ": " + scrub(note));
        out.flush();
        totals.add(outcome, records, length);
    }

    private record Moved(RedriveOutcome outcome, String note) {}

    private Moved move(ParkedBatches.Batch b, ObjectHead parked, Ends ends) throws IOException {
        Optional<ObjectHead> there = ends.targetStore().head(ends.target(), b.originalKey());
        if (there.isPresent()) {
            if (there.get().length() != parked.length()) {
                return new Moved(
                        RedriveOutcome.FAILED,
                        "the target already holds "
                                + there.get().length()
                                + " bytes, the parked batch "
                                + parked.length()
                                + "; both left in place");
            }
            // An earlier run copied it and stopped before deleting the parked copy.
            if (dryRun) {
                return new Moved(RedriveOutcome.WOULD_COMPLETE, "already at the target");
            }
            ends.parkStore().delete(ends.park(), b.parkedKey());
            return new Moved(RedriveOutcome.COMPLETED, "was already at the target");
        }
        if (dryRun) {
            return new Moved(RedriveOutcome.WOULD_MOVE, "");
        }
        try (InputStream body = ends.parkStore().read(ends.park(), b.parkedKey())) {
            ends.targetStore()
                    .write(
                            ends.target(),
                            b.originalKey(),
                            body,
                            parked.length(),
                            parked.contentType()
                                    .orElseGet(() -> ParkedBatches.contentTypeOf(b.parkedKey())),
                            ParkedBatches.deliveredMetadata(parked.metadata()));
        }
        Optional<ObjectHead> copied = ends.targetStore().head(ends.target(), b.originalKey());
        if (copied.isEmpty() || copied.get().length() != parked.length()) {
            return new Moved(
                    RedriveOutcome.FAILED,
                    "after the copy the target holds "
                            + copied.map(h -> h.length() + " bytes").orElse("nothing")
                            + ", not "
                            + parked.length()
                            + "; the parked batch is kept");
        }
        ends.parkStore().delete(ends.park(), b.parkedKey());
        return new Moved(RedriveOutcome.MOVED, "");
    }

    private static StrandedUpload readStranded(Ends ends, ParkedBatches.Batch b)
            throws IOException {
        try (InputStream in = ends.parkStore().read(ends.park(), b.parkedKey())) {
            return StrandedUpload.fromJson(in.readAllBytes());
        }
    }

    /**
     * Completes a stranded upload in the target, where its bytes were staged, and then deletes its
     * record; completing an upload that an earlier run completed is recognised, as at a commit.
     */
    private Moved complete(ParkedBatches.Batch b, StrandedUpload record, Ends ends)
            throws IOException {
        Optional<String> mismatch =
                force
                        ? Optional.empty()
                        : ParkedBatches.destinationMismatch(record.destination(), ends.target());
        if (mismatch.isPresent()) {
            return new Moved(
                    RedriveOutcome.FAILED,
                    "refused: " + mismatch.get() + "; --force moves it anyway");
        }
        if (dryRun) {
            return new Moved(RedriveOutcome.WOULD_COMPLETE, "staged upload " + record.uploadId());
        }
        try {
            ends.targetStore().commit(ends.target(), record.committable(to));
        } catch (IntegrityException e) {
            return new Moved(
                    RedriveOutcome.FAILED,
                    "the staged upload cannot be completed (aborted by a lifecycle rule?): "
                            + e.getMessage()
                            + "; its record is kept");
        }
        ends.parkStore().delete(ends.park(), b.parkedKey());
        return new Moved(RedriveOutcome.COMPLETED, "staged upload completed");
    }

    private static Long recordsOf(Map<String, String> metadata) {
        String records = metadata.get("sluice-records");
        if (records == null) {
            return null;
        }
        try {
            return Long.parseLong(records.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String describe(Map<Long, Integer> batchesPerJob) {
        return batchesPerJob.entrySet().stream()
                .map(
                        e ->
                                "job "
                                        + e.getKey()
                                        + ": "
                                        + e.getValue()
                                        + (e.getValue() == 1 ? " batch" : " batches"))
                .collect(Collectors.joining(", "));
    }

    private int refuse(PrintWriter err, String message) {
        err.println(NAME + ": " + scrub(message));
        err.flush();
        return 2;
    }

    /**
     * Messages from parsers and the SDK should never hold credentials; this makes sure by blanking
     * every credential given on the command line.
     */
    private String scrub(String message) {
        String s = String.valueOf(message);
        for (String secret : secrets()) {
            s = s.replace(secret, "***");
        }
        return s;
    }

    private List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        for (String conf : new String[] {from, to}) {
            if (conf == null) {
                continue;
            }
            String redacted = Destination.redact(conf);
            // Whatever redact replaced: the values of the credential parameters.
            String[] original = conf.split("[?&]");
            String[] blanked = redacted.split("[?&]");
            for (int i = 0; i < Math.min(original.length, blanked.length); i++) {
                int eq = original[i].indexOf('=');
                String value = eq < 0 ? "" : original[i].substring(eq + 1);
                // Blanking a very short value everywhere would garble the message, not protect.
                if (!original[i].equals(blanked[i]) && value.length() >= MIN_SCRUBBED) {
                    secrets.add(value);
                    try {
                        secrets.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        // Not percent-encoded properly: only the raw form can appear.
                    }
                }
            }
        }
        return secrets;
    }
}
