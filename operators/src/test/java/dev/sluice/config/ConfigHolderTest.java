package dev.sluice.config;

import dev.sluice.testing.TestConfigs;

import org.apache.flink.api.common.cache.DistributedCache;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigHolderTest {

    /** A task's distributed cache with no files, for holders that need none. */
    private static final DistributedCache NO_FILES = new DistributedCache(Map.of());

    @TempDir java.nio.file.Path dir;

    private static ConfigHolder opened(String startJson) throws Exception {
        ConfigHolder holder =
                new ConfigHolder(startJson == null ? null : StartConfig.inline(startJson));
        holder.open(NO_FILES);
        return holder;
    }

    @Test
    void aRestoredSnapshotWinsOnlyWhenNewerThanTheStartConfig() throws Exception {
        InMemoryBroadcastState state = new InMemoryBroadcastState();
        state.put(ConfigHolder.SNAPSHOT_KEY, TestConfigs.version(5).job(1, "acme").json());

        assertThat(opened(TestConfigs.version(3).job(2, "b").json()).current(state).version())
                .isEqualTo(5);
        assertThat(opened(TestConfigs.version(9).job(2, "b").json()).current(state).version())
                .isEqualTo(9);
    }

    @Test
    void keepsTheLastKnownGoodOnStaleOrInvalidUpdates() throws Exception {
        InMemoryBroadcastState state = new InMemoryBroadcastState();
        ConfigHolder holder = opened(TestConfigs.version(3).job(1, "acme").json());

        assertThat(holder.offer(TestConfigs.version(3).job(2, "b").json(), state).kind())
                .isEqualTo(ConfigVerdict.Kind.STALE);
        assertThat(holder.offer("{\"version\":4,\"jobs\":[]}", state).kind())
                .isEqualTo(ConfigVerdict.Kind.REJECTED);
        assertThat(state.get(ConfigHolder.SNAPSHOT_KEY)).isNull();
        assertThat(holder.current(state).job(1)).isPresent();

        assertThat(holder.offer(TestConfigs.version(4).job(2, "b").json(), state).kind())
                .isEqualTo(ConfigVerdict.Kind.ACCEPTED);
        assertThat(holder.current(state).job(1)).isEmpty();
        assertThat(ConfigStateCodec.read(state.get(ConfigHolder.SNAPSHOT_KEY)).version())
                .isEqualTo(4);
    }

    @Test
    void runsOnTheStoredConfigAloneOrRefusesToRunBlank() throws Exception {
        InMemoryBroadcastState state = new InMemoryBroadcastState();
        assertThatThrownBy(() -> opened(null).current(state))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no delivery config");

        state.put(ConfigHolder.SNAPSHOT_KEY, TestConfigs.version(5).job(1, "acme").json());

        assertThat(opened(null).current(state).job(1)).isPresent();
    }

    @Test
    void storesTheStartConfigOnceInTheStoredFormat() throws Exception {
        String start = TestConfigs.version(3).job(1, "acme").json();
        InMemoryBroadcastState state = new InMemoryBroadcastState();
        ConfigHolder holder = opened(start);

        holder.store(state);
        String stored = state.get(ConfigHolder.SNAPSHOT_KEY);
        state.put(ConfigHolder.SNAPSHOT_KEY, "overwritten by an update");
        holder.store(state);

        assertThat(stored).startsWith(ConfigStateCodec.PREFIX);
        assertThat(ConfigStateCodec.read(stored))
                .isEqualTo(VersionedConfig.of(snapshot(start)))
                .extracting(VersionedConfig::floor)
                .isEqualTo(3L);
        assertThat(state.get(ConfigHolder.SNAPSHOT_KEY)).isEqualTo("overwritten by an update");
    }

    @Test
    void neverAnswersBeforeItIsOpened() {
        ConfigHolder holder =
                new ConfigHolder(StartConfig.inline(TestConfigs.version(3).job(1, "a").json()));

        assertThatThrownBy(() -> holder.current(new InMemoryBroadcastState()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before open()");
    }

    @Test
    void readsTheStartConfigFromTheTasksDistributedCacheFile() throws Exception {
        String json = TestConfigs.version(7).job(70, "from-file").json();
        String sha = submit(json);
        ConfigHolder holder = new ConfigHolder(StartConfig.cachedFile(sha));

        holder.open(cacheWith(sha, write("start.json", json)));

        ActiveConfig active = holder.current(new InMemoryBroadcastState());
        assertThat(active.version()).isEqualTo(7);
        assertThat(active.job(70))
                .hasValueSatisfying(j -> assertThat(j.customerId()).isEqualTo("from-file"));
        holder.close();
    }

    @Test
    void refusesAStartConfigFileThatIsNotTheOneSubmitted() throws Exception {
        String submitted = TestConfigs.version(7).job(71, "submitted").json();
        String sha = submit(submitted);
        String changed = TestConfigs.version(8).job(71, "changed").json();
        String broken = "{\"version\":8,";

        for (String content : new String[] {changed, broken}) {
            ConfigHolder holder = new ConfigHolder(StartConfig.cachedFile(sha));
            DistributedCache files = cacheWith(sha, write("changed.json", content));

            assertThatThrownBy(() -> holder.open(files))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has SHA-256 " + StartConfigReader.sha256(bytes(content)))
                    .hasMessageContaining("not " + sha)
                    .hasMessageContaining("changed after it was submitted");
            assertThatThrownBy(() -> holder.current(new InMemoryBroadcastState()))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void refusesToOpenWithoutItsStartConfigFile() throws Exception {
        String sha = submit(TestConfigs.version(7).job(72, "absent").json());
        ConfigHolder holder = new ConfigHolder(StartConfig.cachedFile(sha));

        assertThatThrownBy(() -> holder.open(NO_FILES))
                .hasMessageContaining(StartConfig.cacheEntryName(sha));
    }

    @Test
    void holdersInOneJvmShareOneParseUntilTheLastCloses() throws Exception {
        CachedStart start = cached("shared.json", TestConfigs.version(7).job(73, "shared"));
        String sha = start.sha();
        java.nio.file.Path file = start.file();
        ConfigHolder first = start.opened();
        ConfigHolder second = start.opened();

        assertThat(second.current(new InMemoryBroadcastState()))
                .isSameAs(first.current(new InMemoryBroadcastState()));

        first.close();
        Files.delete(file);
        ConfigHolder third = new ConfigHolder(StartConfig.cachedFile(sha));
        third.open(cacheWith(sha, file));
        assertThat(third.current(new InMemoryBroadcastState()))
                .isSameAs(second.current(new InMemoryBroadcastState()));

        second.close();
        third.close();
        ConfigHolder afterAllClosed = new ConfigHolder(StartConfig.cachedFile(sha));
        // Nothing holds the parsed config any more, so this holder reads the (now gone) file.
        assertThatThrownBy(() -> afterAllClosed.open(cacheWith(sha, file)))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void holdersOfAnUntouchedStartConfigStoreOneSharedJsonString() throws Exception {
        CachedStart start =
                cached("stored-once.json", TestConfigs.version(8).job(76, "stored-once"));
        ConfigHolder first = start.opened();
        ConfigHolder second = start.opened();
        InMemoryBroadcastState firstState = new InMemoryBroadcastState();
        InMemoryBroadcastState secondState = new InMemoryBroadcastState();

        first.store(firstState);
        second.store(secondState);

        assertThat(secondState.get(ConfigHolder.SNAPSHOT_KEY))
                .as("one string in this JVM, however many subtasks store it")
                .isSameAs(firstState.get(ConfigHolder.SNAPSHOT_KEY));
        assertThat(ConfigStateCodec.read(firstState.get(ConfigHolder.SNAPSHOT_KEY)).liveJobs())
                .extracting(DeliveryJob::id)
                .containsExactly(76L);
        first.close();
        second.close();
    }

    @Test
    void aRestoredConfigIsMergedPerHolderWithoutChangingTheSharedOne() throws Exception {
        CachedStart start = cached("merge.json", TestConfigs.version(3).job(74, "start"));
        ConfigHolder fresh = start.opened();
        ConfigHolder restored = start.opened();
        InMemoryBroadcastState state = new InMemoryBroadcastState();
        state.put(ConfigHolder.SNAPSHOT_KEY, TestConfigs.version(5).job(75, "stored").json());

        assertThat(restored.current(state).job(75)).isPresent();
        assertThat(fresh.current(new InMemoryBroadcastState()).job(75)).isEmpty();
        assertThat(fresh.current(new InMemoryBroadcastState()).job(74)).isPresent();
        fresh.close();
        restored.close();
    }

    @Test
    void holdersRestoringTheSameStateShareOneConfigAndStoreOneString() throws Exception {
        String restored =
                ConfigStateCodec.write(
                        VersionedConfig.of(
                                (ConfigUpdate.Snapshot)
                                        ConfigUpdates.parse(
                                                TestConfigs.version(6)
                                                        .job(61, "restored")
                                                        .json())));
        ConfigHolder first = opened(null);
        ConfigHolder second = opened(null);
        InMemoryBroadcastState firstState = new InMemoryBroadcastState();
        InMemoryBroadcastState secondState = new InMemoryBroadcastState();
        // Each subtask restores a String of its own, equal to the others'.
        firstState.put(ConfigHolder.SNAPSHOT_KEY, new String(restored));
        secondState.put(ConfigHolder.SNAPSHOT_KEY, new String(restored));

        assertThat(second.current(secondState))
                .as("one parsed config in this JVM, however many subtasks restore it")
                .isSameAs(first.current(firstState));
        first.store(firstState);
        second.store(secondState);
        assertThat(secondState.get(ConfigHolder.SNAPSHOT_KEY))
                .isSameAs(firstState.get(ConfigHolder.SNAPSHOT_KEY))
                .isEqualTo(restored);
        first.close();
        second.close();
    }

    @Test
    void holdersTakingTheSameUpdateShareTheConfigItLeadsTo() throws Exception {
        String start = TestConfigs.version(1).job(51, "a").job(52, "b").json();
        ConfigHolder first = opened(start);
        ConfigHolder second = opened(start);
        InMemoryBroadcastState firstState = new InMemoryBroadcastState();
        InMemoryBroadcastState secondState = new InMemoryBroadcastState();
        String update = TestConfigs.version(2).job(51, "a").job(52, "b").job(53, "c").json();

        ConfigVerdict firstVerdict = first.offer(update, firstState);
        ConfigVerdict secondVerdict = second.offer(new String(update), secondState);

        assertThat(firstVerdict.kind()).isEqualTo(ConfigVerdict.Kind.ACCEPTED);
        assertThat(secondVerdict.kind()).isEqualTo(ConfigVerdict.Kind.ACCEPTED);
        assertThat(secondVerdict.previous()).isSameAs(firstVerdict.previous());
        assertThat(second.current(secondState)).isSameAs(first.current(firstState));
        assertThat(first.current(firstState).job(53)).isPresent();
        assertThat(secondState.get(ConfigHolder.SNAPSHOT_KEY))
                .isSameAs(firstState.get(ConfigHolder.SNAPSHOT_KEY));
        first.close();
        second.close();
    }

    @Test
    void aHolderThatLaggedBehindSharesTheConfigAgainAtTheNextUpdate() throws Exception {
        String start = TestConfigs.version(1).job(31, "a").job(32, "b").json();
        String first = TestConfigs.version(2).job(31, "a").job(32, "b").job(33, "c").json();
        String second =
                TestConfigs.version(3).job(31, "a").job(32, "b").job(33, "c").job(34, "d").json();
        ConfigHolder ahead = opened(start);
        ConfigHolder behind = opened(start);
        InMemoryBroadcastState aheadState = new InMemoryBroadcastState();
        InMemoryBroadcastState behindState = new InMemoryBroadcastState();

        ahead.offer(first, aheadState);
        ahead.offer(second, aheadState);
        // Nothing holds the first update's result any more: the lagging holder builds its own.
        behind.offer(first, behindState);
        assertThat(behind.current(behindState).job(33)).isPresent();
        behind.offer(second, behindState);

        assertThat(behind.current(behindState)).isSameAs(ahead.current(aheadState));
        ahead.close();
        behind.close();
    }

    @Test
    void holdersWithAnotherGuardReviewAnUpdateForThemselves() throws Exception {
        TestConfigs before = TestConfigs.version(1);
        TestConfigs after = TestConfigs.version(2);
        for (int i = 1; i <= 10; i++) {
            before.job(40 + i, "c" + i);
            // Disables 3 of the 10: past the default guard (1), within the lenient one.
            after.job(40 + i, "c" + i, i > 3, 0);
        }
        String start = before.json();
        ConfigHolder strict = new ConfigHolder(StartConfig.inline(start));
        ConfigHolder lenient =
                new ConfigHolder(StartConfig.inline(start), new GuardSettings(1.0, 1_000));
        strict.open(NO_FILES);
        lenient.open(NO_FILES);
        String update = after.json();

        // The lenient holder first: it keeps the accepted review, which the strict one must not
        // take.
        assertThat(lenient.offer(update, new InMemoryBroadcastState()).kind())
                .isEqualTo(ConfigVerdict.Kind.ACCEPTED);
        assertThat(strict.offer(update, new InMemoryBroadcastState()).kind())
                .isEqualTo(ConfigVerdict.Kind.REJECTED);
        strict.close();
        lenient.close();
    }

    /** A start config submitted with hash {@code sha} and in the task's cache as {@code file}. */
    private record CachedStart(String sha, java.nio.file.Path file) {

        /** A holder of this start config, opened on the task's file. */
        ConfigHolder opened() throws Exception {
            ConfigHolder holder = new ConfigHolder(StartConfig.cachedFile(sha));
            holder.open(cacheWith(sha, file));
            return holder;
        }
    }

    /** Submits {@code config} as the job's entry point does and caches it as {@code name}. */
    private CachedStart cached(String name, TestConfigs config) throws Exception {
        String json = config.json();
        return new CachedStart(submit(json), write(name, json));
    }

    /** What the job's entry point does: validate the config and take its hash. */
    private static String submit(String json) throws Exception {
        return StartConfigReader.validate(new ByteArrayInputStream(bytes(json)));
    }

    private java.nio.file.Path write(String name, String content) throws Exception {
        return Files.write(dir.resolve(name), bytes(content));
    }

    private static DistributedCache cacheWith(String sha, java.nio.file.Path file) {
        return new DistributedCache(
                Map.of(
                        StartConfig.cacheEntryName(sha),
                        CompletableFuture.completedFuture(new Path(file.toUri()))));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ConfigUpdate.Snapshot snapshot(String json) throws Exception {
        return (ConfigUpdate.Snapshot) ConfigUpdates.parse(json);
    }
}
