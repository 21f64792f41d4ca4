package dev.sluice.chaos;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Steady traffic on its own thread: records for a set of customers, round robin, at a total rate,
 * until stopped or a record budget is spent.
 */
public final class Traffic implements AutoCloseable {

    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ChaosProducer producer;
    private final List<String> customers;
    private final double perSecond;
    private final long budget;
    private final AtomicLong sent = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopped;

    private Traffic(
            ChaosProducer producer,
            List<String> customers,
            double perSecond,
            long budget,
            String name) {
        this.producer = producer;
        this.customers = List.copyOf(customers);
        this.perSecond = perSecond;
        this.budget = budget;
        this.thread = new Thread(this::run, "chaos-traffic-" + name);
        thread.setDaemon(true);
    }

    /** Starts sending {@code perSecond} records in total, spread over {@code customers}. */
    public static Traffic start(
            ChaosProducer producer, List<String> customers, double perSecond, String name) {
        return start(producer, customers, perSecond, Long.MAX_VALUE, name);
    }

    /** As {@link #start(ChaosProducer, List, double, String)}, ending after {@code budget}. */
    public static Traffic start(
            ChaosProducer producer,
            List<String> customers,
            double perSecond,
            long budget,
            String name) {
        Traffic traffic = new Traffic(producer, customers, perSecond, budget, name);
        traffic.thread.start();
        return traffic;
    }

    private void run() {
        long start = System.nanoTime();
        long n = 0;
        while (!stopped && n < budget) {
            long due = (long) ((System.nanoTime() - start) * perSecond / 1e9);
            for (; n < Math.min(due, budget) && !stopped; n++) {
                producer.send(customers.get((int) (n % customers.size())));
                sent.incrementAndGet();
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
    }

    /** Records sent so far. */
    public long sent() {
        return sent.get();
    }

    /** Whether the budget is spent. */
    public boolean done() {
        return !thread.isAlive();
    }

    /** Waits for the budget to be spent. */
    public void awaitDone() throws InterruptedException {
        thread.join();
    }

    /** Stops sending and waits for the thread. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join();
    }
}
