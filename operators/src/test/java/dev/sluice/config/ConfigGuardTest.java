package dev.sluice.config;

import dev.sluice.testing.TestConfigs;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigGuardTest {

    private static final GuardSettings DEFAULTS = GuardSettings.defaults();

    /**
     * Refusals at the defaults, in full: what was asked, what the guard allows, and the way out.
     */
    private static final String DISABLES_11_OF_100 =
            "would disable or remove 11 of 100 enabled jobs; the guard allows 10"
                    + " (config.guard.max-disable-fraction 0.1); send \"force\": true if intended";

    private static final String ENABLES_390_WITH_10 =
            "would enable 390 jobs with 10 enabled now; the guard allows 20"
                    + " (config.guard.max-enable-factor 2.0); send \"force\": true if intended";

    private static List<DeliveryJob> jobs(int enabled, int disabled) throws Exception {
        TestConfigs config = TestConfigs.version(1);
        for (int i = 1; i <= enabled + disabled; i++) {
            config.job(i, "c" + i, i <= enabled, 0);
        }
        return ConfigParser.parse(config.json()).jobs();
    }

    private static ConfigDiff diff(List<DeliveryJob> now, List<DeliveryJob> next) {
        return ConfigDiff.between(now, next);
    }

    /** The guard's refusal of going from {@code now} to {@code next} unforced, at the defaults. */
    private static Optional<String> refusal(List<DeliveryJob> now, List<DeliveryJob> next) {
        return ConfigGuard.check(diff(now, next), DEFAULTS, false);
    }

    @Test
    void allowsDisablingUpToTheFraction() throws Exception {
        assertThat(refusal(jobs(100, 0), jobs(90, 10))).isEmpty();
        assertThat(refusal(jobs(100, 0), jobs(89, 11))).hasValue(DISABLES_11_OF_100);
        assertThat(refusal(jobs(100, 0), jobs(80, 0)))
                .hasValueSatisfying(r -> assertThat(r).contains("20 of 100"));
    }

    @Test
    void allowsOneChangeWhateverTheFraction() throws Exception {
        assertThat(refusal(jobs(3, 0), jobs(2, 1))).isEmpty();
        assertThat(refusal(jobs(3, 0), jobs(1, 2))).isPresent();
    }

    @Test
    void refusesTheFailOpenFlood() throws Exception {
        assertThat(refusal(jobs(10, 30), jobs(30, 10))).isEmpty();
        assertThat(refusal(jobs(10, 390), jobs(400, 0))).hasValue(ENABLES_390_WITH_10);
    }

    @Test
    void refusesLeavingNoEnabledJobUnlessForced() throws Exception {
        assertThat(refusal(jobs(1, 0), jobs(0, 1)))
                .hasValueSatisfying(r -> assertThat(r).contains("no enabled job"));
        assertThat(ConfigGuard.check(diff(jobs(100, 0), jobs(0, 100)), DEFAULTS, true)).isEmpty();
    }

    @Test
    void describesWhatChanges() throws Exception {
        List<DeliveryJob> now =
                ConfigParser.parse(
                                TestConfigs.version(1)
                                        .job(1, "a")
                                        .job(2, "b")
                                        .job(3, "c", false, 0)
                                        .job(4, "d")
                                        .json())
                        .jobs();
        List<DeliveryJob> next =
                ConfigParser.parse(
                                TestConfigs.version(2)
                                        .job(1, "a", false, 0)
                                        .job(3, "c")
                                        .job(4, "d", true, 5000)
                                        .job(5, "e")
                                        .json())
                        .jobs();

        ConfigDiff d = ConfigDiff.between(now, next);

        assertThat(d.added()).containsExactly(5L);
        assertThat(d.removed()).containsExactly(2L);
        assertThat(d.disabled()).containsExactly(1L);
        assertThat(d.enabled()).containsExactly(3L);
        assertThat(d.modified()).containsExactly(4L);
        assertThat(d.noLongerEnabled()).isEqualTo(2);
        assertThat(d.newlyEnabled()).isEqualTo(2);
    }
}
