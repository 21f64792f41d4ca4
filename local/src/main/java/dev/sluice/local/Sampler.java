package dev.sluice.local;

/**
 * A daemon thread that takes a sample, sleeps a period and takes the next, until closed: what the
 * benchmark's heap meter and the chaos runs' series recorder watch the JVM and the job with.
 */
public final class Sampler implements AutoCloseable {

    /** How long {@link #close} waits for a sample in progress. */
    private static final long JOIN_MILLIS = 5_000;

    private final Thread thread;
    private volatile boolean stopped;

    private Sampler(String name, long periodMillis, Runnable sample) {
        this.thread = new Thread(() -> loop(periodMillis, sample), name);
        thread.setDaemon(true);
    }

    /** Starts a thread {@code name} running {@code sample} now and every {@code periodMillis}. */
    public static Sampler start(String name, long periodMillis, Runnable sample) {
        Sampler sampler = new Sampler(name, periodMillis, sample);
        sampler.thread.start();
        return sampler;
    }

    private void loop(long periodMillis, Runnable sample) {
        while (!stopped) {
            sample.run();
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Takes no more samples; waits for one in progress, a few seconds at most. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(JOIN_MILLIS);
    }
}
