package dev.sluice.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} in headless mode, as a browser opening a local page: the DOM after its
 * scripts ran, and a screenshot. Each call starts one process with a profile of its own and waits
 * for it.
 */
final class HeadlessChromium {

    /** What the browser printed: the DOM (stdout) and its log, console messages included. */
    record Output(String dom, String log) {}

    private final Path binary;
    private final Path profiles;

    HeadlessChromium(Path profiles) {
        this.binary = RequiredTool.onPath("chromium", "chromium");
        this.profiles = profiles;
    }

    /** The page's DOM once loaded and its scripts ran, with the browser's log. */
    Output dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, "--dump-dom");
    }

    /** Saves a screenshot of the page's first {@code height} pixels. */
    Output screenshot(Path page, Path png, int height) throws IOException, InterruptedException {
        return run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=1000," + height);
    }

    private Output run(Path page, String... what) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(profiles, "chromium");
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        // --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start.
        command.addAll(
                List.of(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-first-run",
                        "--hide-scrollbars",
                        "--enable-logging=stderr",
                        "--virtual-time-budget=5000",
                        "--user-data-dir=" + profile));
        command.addAll(List.of(what));
        command.add(page.toAbsolutePath().toUri().toString());
        Path log = profile.resolveSibling(profile.getFileName() + ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        process.getOutputStream().close();
        String dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("chromium did not finish in 2 minutes: " + command);
        }
        String err = Files.readString(log);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    "chromium exited with " + process.exitValue() + ": " + err);
        }
        return new Output(dom, err);
    }
}
