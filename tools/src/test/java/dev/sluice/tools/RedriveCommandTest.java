package dev.sluice.tools;

import dev.sluice.config.Destination;
import dev.sluice.sink.ObjectCommittable;
import dev.sluice.sink.ObjectKeys;
import dev.sluice.sink.Parking;
import dev.sluice.sink.StrandedUpload;
import dev.sluice.sink.store.FileObjectStore;
import dev.sluice.sink.store.ObjectStore;
import dev.sluice.sink.store.ObjectStores;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Argument checks, and whole redrives between {@code file://} destinations. */
class RedriveCommandTest {

    private static final long T = 1_731_579_300_000_000L;

    @TempDir Path dir;

    private String park;
    private String to;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void destinations() {
        park = "file://" + dir.resolve("park");
        to = "file://" + dir.resolve("logs/{DATE}");
    }

    private int redrive(String... args) {
        return redrive(ObjectStores::forDestination, args);
    }

    private int redrive(BiFunction<ObjectStores, Destination, ObjectStore> stores, String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = new CommandLine(new RedriveCommand(stores));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(withoutMinAge(args));
    }

    /** Batches parked by a test are seconds old: let them move unless a test says otherwise. */
    static String[] withoutMinAge(String... args) {
        for (String a : args) {
            if (a.startsWith("--min-age")) {
                return args;
            }
        }
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = "--min-age=0";
        return all;
    }

    /** Parks a batch as the sink does for a file destination; returns its original path. */
    private Path parkBatch(long job, long seq, byte[] body) throws IOException {
        String key = ObjectKeys.keyFor(Destination.parse(to), job, seq, T, T);
        Path parked = Path.of("/" + Parking.parkedKey(Destination.parse(park), key));
        Files.createDirectories(parked.getParent());
        Files.write(parked, body);
        return Path.of("/" + key);
    }

    private Path parkedPath(Path original) {
        return Path.of(dir.resolve("park") + original.toString());
    }

    private static byte[] body(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private List<Path> files(String sub) throws IOException {
        Path root = dir.resolve(sub);
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void showsItsUsage() {
        assertThat(redrive("--help")).isZero();
        assertThat(out.toString())
                .contains("Usage: redrive")
                .contains("--from=PARK_DESTINATION")
                .contains("--to=DESTINATION")
                .contains("--job=ID")
                .contains("--all-jobs")
                .contains("--force")
                .contains("--dry-run");
    }

    @Test
    void leavesBatchesParkedMomentsAgoUntilTheyAreOldEnough() throws IOException {
        Path original = parkBatch(7, 0, body(100, 1));

        assertThat(redrive("--from", park, "--to", to, "--min-age=10m")).isZero();
        assertThat(out.toString()).contains("left alone (--min-age)");
        assertThat(parkedPath(original)).exists();
        assertThat(original).doesNotExist();

        Files.setLastModifiedTime(
                parkedPath(original),
                java.nio.file.attribute.FileTime.from(
                        java.time.Instant.now().minus(java.time.Duration.ofMinutes(11))));
        assertThat(redrive("--from", park, "--to", to, "--min-age=10m")).isZero();
        assertThat(original).exists();
        assertThat(parkedPath(original)).doesNotExist();
    }

    /**
     * A staged object its destination would not complete is parked by reference: redrive completes
     * the upload in the destination, once, and deletes the record.
     */
    @Test
    void completesAStrandedUploadInItsDestinationAndDeletesItsRecord() throws IOException {
        Destination target = Destination.parse(to);
        String key = ObjectKeys.keyFor(target, 7, 3, T, T);
        byte[] body = body(300, 3);
        ObjectCommittable staged = new FileObjectStore().stage(to, target, key, body, 5);
        Path record = Path.of("/" + Parking.strandedKey(Destination.parse(park), key));
        Files.createDirectories(record.getParent());
        Files.write(record, StrandedUpload.of(staged, "503 Slow Down").toJson());

        assertThat(redrive("--from", park, "--to", to, "--dry-run")).isZero();
        assertThat(out.toString()).contains("would complete").contains("job 7 seq 3, 5 records");
        assertThat(Path.of("/" + key)).doesNotExist();

        assertThat(redrive("--from", park, "--to", to)).isZero();
        assertThat(out.toString()).contains("completed").contains("staged upload completed");
        assertThat(Files.readAllBytes(Path.of("/" + key))).isEqualTo(body);
        assertThat(record).doesNotExist();

        assertThat(redrive("--from", park, "--to", to)).isZero();
        assertThat(out.toString()).contains("0 batches");
    }

    /** A stranded upload's record names its destination: another one is refused. */
    @Test
    void refusesToCompleteAStrandedUploadInAnotherDestination() throws IOException {
        Destination target = Destination.parse(to);
        String key = ObjectKeys.keyFor(target, 7, 3, T, T);
        ObjectCommittable staged = new FileObjectStore().stage(to, target, key, body(10, 4), 1);
        Path record = Path.of("/" + Parking.strandedKey(Destination.parse(park), key));
        Files.createDirectories(record.getParent());
        StrandedUpload elsewhere =
                new StrandedUpload(
                        "file://" + dir.resolve("other"),
                        staged.key(),
                        staged.uploadId(),
                        staged.partETags(),
                        staged.length(),
                        staged.records(),
                        "timeout",
                        staged.manifest());
        Files.write(record, elsewhere.toJson());

        assertThat(redrive("--from", park, "--to", to)).isEqualTo(1);
        assertThat(out.toString()).contains("refused");
        assertThat(record).exists();
        assertThat(Path.of("/" + key)).doesNotExist();
    }

    @Test
    void refusesAnAgeItCannotRead() {
        assertThat(redrive("--from", park, "--to", to, "--min-age=soon")).isEqualTo(2);
        assertThat(err.toString()).contains("not a duration");
    }

    @Test
    void bothDestinationsAreRequired() {
        assertThat(redrive("--from", park)).isEqualTo(2);
        assertThat(err.toString()).contains("--to");
    }

    @Test
    void aBadDestinationIsABadArgumentAndItsCredentialsStayHidden() {
        int status =
                redrive(
                        "--from",
                        "s3://Bad_Bucket/x?access-key-id=AKIAXYZ&secret-access-key=TOPSECRET",
                        "--to",
                        to);

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("--from").doesNotContain("TOPSECRET");
        assertThat(out.toString() + err.toString()).doesNotContain("AKIAXYZ");
    }

    @Test
    void jobAndAllJobsExcludeEachOther() {
        assertThat(redrive("--from", park, "--to", to, "--job", "1", "--all-jobs")).isEqualTo(2);
        assertThat(err.toString()).contains("--job and --all-jobs");
    }

    @Test
    void aJobIdIsANumber() {
        assertThat(redrive("--from", park, "--to", to, "--job", "seven")).isEqualTo(2);
    }

    @Test
    void aParkThatHoldsTheTargetIsRefusedBeforeAnythingIsTouched() {
        int status =
                redrive(
                        "--from",
                        "s3://logs-bucket?access-key-id=AK&secret-access-key=TOPSECRET",
                        "--to",
                        "s3://logs-bucket/cust-01?access-key-id=AK&secret-access-key=TOPSECRET");

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("delivered batches would look parked");
    }

    @Test
    void aStoreThatCannotBeAddressedIsABadArgument() {
        assertThat(redrive("--from", "s3://park-1/p?endpoint=%3A%3Abad", "--to", to)).isEqualTo(2);
        assertThat(err.toString()).startsWith("sluice redrive: ");
    }

    @Test
    void theWholeFileSystemIsNoParkDestination() {
        assertThat(redrive("--from", "file:///", "--to", to)).isEqualTo(2);
    }

    @Test
    void movesParkedFilesToTheirOriginalPathsWhole() throws Exception {
        byte[] first = body(1000, 1);
        byte[] second = body(70_000, 2);
        Path a = parkBatch(1, 0, first);
        Path b = parkBatch(1, 1, second);

        int status = redrive("--from", park, "--to", to);

        assertThat(status).as(err.toString()).isZero();
        assertThat(a.toString()).startsWith(dir.resolve("logs/20241114").toString());
        assertThat(Files.readAllBytes(a)).isEqualTo(first);
        assertThat(Files.readAllBytes(b)).isEqualTo(second);
        assertThat(files("park")).isEmpty();
        assertThat(files("logs")).containsExactlyInAnyOrder(a, b);
        assertThat(out.toString())
                .contains("moved          job 1 seq 0, ? records, 1000 bytes: ")
                .contains(parkedPath(a) + " -> " + a)
                .contains("redriven 2 batches (2 copied, 0 already at the target)")
                .contains("71000 bytes; 0 failed");

        assertThat(redrive("--from", park, "--to", to)).isZero();
        assertThat(out.toString()).contains("redriven 0 batches");
        assertThat(Files.readAllBytes(a)).isEqualTo(first);
    }

    @Test
    void aDryRunChangesNothing() throws Exception {
        Path a = parkBatch(4, 0, body(10, 1));

        assertThat(redrive("--from", park, "--to", to, "--dry-run")).isZero();

        assertThat(Files.exists(a)).isFalse();
        assertThat(files("park")).containsExactly(parkedPath(a));
        assertThat(out.toString())
                .contains("would move     job 4 seq 0")
                .contains("dry run: would redrive 1 batch (1 to copy")
                .contains("dry run: nothing changed");
    }

    @Test
    void batchesOfSeveralJobsAreRefusedUnlessOneOrAllAreNamed() throws Exception {
        Path one = parkBatch(1, 0, body(10, 1));
        Path two = parkBatch(2, 0, body(20, 2));

        assertThat(redrive("--from", park, "--to", to)).isEqualTo(2);
        assertThat(err.toString())
                .contains("belong to 2 jobs (job 1: 1 batch, job 2: 1 batch)")
                .contains("--job ID")
                .contains("--all-jobs");
        assertThat(files("logs")).isEmpty();
        assertThat(redrive("--from", park, "--to", to, "--dry-run")).isEqualTo(2);

        assertThat(redrive("--from", park, "--to", to, "--job", "2")).isZero();
        assertThat(files("logs")).containsExactly(two);
        assertThat(files("park")).containsExactly(parkedPath(one));

        parkBatch(3, 0, body(30, 3));
        assertThat(redrive("--from", park, "--to", to, "--all-jobs")).isZero();
        assertThat(files("park")).isEmpty();
        assertThat(files("logs")).hasSize(3);
    }

    @Test
    void batchesForAnotherPrefixStayParked() throws Exception {
        Path mine = parkBatch(1, 0, body(10, 1));
        String other = "file://" + dir.resolve("logs-other");
        String otherKey = ObjectKeys.keyFor(Destination.parse(other), 2, 0, T, T);
        Path otherParked = Path.of("/" + Parking.parkedKey(Destination.parse(park), otherKey));
        Files.createDirectories(otherParked.getParent());
        Files.write(otherParked, body(10, 2));

        assertThat(redrive("--from", park, "--to", to)).isZero();

        assertThat(Files.exists(mine)).isTrue();
        assertThat(files("park")).containsExactly(otherParked);
        assertThat(out.toString()).contains("ignored 1 other objects");
    }

    @Test
    void completesACopyThatStoppedBeforeTheParkedBatchWasDeleted() throws Exception {
        byte[] bytes = body(500, 5);
        Path a = parkBatch(1, 7, bytes);
        Files.createDirectories(a.getParent());
        Files.write(a, bytes);

        assertThat(redrive("--from", park, "--to", to)).isZero();

        assertThat(files("park")).isEmpty();
        assertThat(Files.readAllBytes(a)).isEqualTo(bytes);
        assertThat(out.toString())
                .contains("completed      job 1 seq 7")
                .contains("was already at the target")
                .contains("(0 copied, 1 already at the target)");
    }

    @Test
    void anotherObjectAtTheTargetIsLeftAloneAndTheOthersStillMove() throws Exception {
        Path clash = parkBatch(1, 0, body(500, 5));
        Files.createDirectories(clash.getParent());
        Files.write(clash, body(400, 6));
        Path fine = parkBatch(1, 1, body(300, 7));

        assertThat(redrive("--from", park, "--to", to)).isEqualTo(1);

        assertThat(Files.size(clash)).isEqualTo(400);
        assertThat(files("park")).containsExactly(parkedPath(clash));
        assertThat(Files.size(fine)).isEqualTo(300);
        assertThat(out.toString())
                .contains("FAILED         job 1 seq 0")
                .contains("the target already holds 400 bytes, the parked batch 500")
                .contains("1 failed");
    }

    @Test
    void aRunThatFailsAfterTheCopyIsFinishedByTheNext() throws Exception {
        byte[] bytes = body(2000, 9);
        Path a = parkBatch(1, 3, bytes);
        AtomicInteger deletes = new AtomicInteger();
        BiFunction<ObjectStores, Destination, ObjectStore> failingDeletes =
                (stores, d) -> failingDeletes(stores.forDestination(d), deletes);

        assertThat(redrive(failingDeletes, "--from", park, "--to", to)).isEqualTo(1);
        assertThat(out.toString()).contains("FAILED").contains("lost the connection");
        assertThat(Files.readAllBytes(a)).isEqualTo(bytes);
        assertThat(files("park")).containsExactly(parkedPath(a));

        assertThat(redrive("--from", park, "--to", to)).isZero();
        assertThat(out.toString()).contains("completed      job 1 seq 3");
        assertThat(files("park")).isEmpty();
        assertThat(files("logs")).containsExactly(a);
        assertThat(deletes).hasValue(1);
    }

    /**
     * {@code store}, but its deletes fail, as if the connection dropped after the copy. What a
     * redrive never does (stage, put, commit, abort) fails the test.
     */
    private static ObjectStore failingDeletes(ObjectStore store, AtomicInteger deletes) {
        InvocationHandler handler =
                (proxy, method, args) ->
                        switch (method.getName()) {
                            case "delete" -> {
                                deletes.incrementAndGet();
                                throw new IOException(
                                        "deleting " + args[1] + " failed: lost the connection");
                            }
                            case "begin", "stage", "put", "putWhole", "commit", "abortStale" ->
                                    throw new UnsupportedOperationException(
                                            "a redrive does not " + method.getName());
                            // The command's ObjectStores closes the store this wraps.
                            case "close" -> null;
                            default -> invoke(method, store, args);
                        };
        return (ObjectStore)
                Proxy.newProxyInstance(
                        ObjectStore.class.getClassLoader(),
                        new Class<?>[] {ObjectStore.class},
                        handler);
    }

    private static Object invoke(Method method, ObjectStore store, Object[] args) throws Throwable {
        try {
            return method.invoke(store, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
