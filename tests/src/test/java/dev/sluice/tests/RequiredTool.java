package dev.sluice.tests;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.fail;

/**
 * A program from a Debian package that a test runs (promtool, prometheus, chromium). Without it the
 * test is skipped on a developer's machine, but fails under CI, where a skip would pass unread:
 * {@code .ci/run} installs the packages.
 */
final class RequiredTool {

    private RequiredTool() {}

    /** {@code name} on PATH, or the test is skipped (fails under CI). */
    static Path onPath(String name, String debianPackage) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
            fail(
                    "%s is not on PATH under CI (CI=%s): .ci/run installs it with Debian's %s"
                            + " package (apt-get install --no-install-recommends %s); install it"
                            + " in the CI image or run .ci/run",
                    name, ci, debianPackage, debianPackage);
        }
        Assumptions.assumeTrue(
                false,
                name
                        + " is not on PATH; to run this test install it, e.g. `sudo apt-get"
                        + " install --no-install-recommends "
                        + debianPackage
                        + "` (Debian/Ubuntu)");
        throw new AssertionError("unreachable");
    }
}
