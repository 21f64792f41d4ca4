package dev.sluice.chaos;

import java.util.BitSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The generator's own record of what it sent: per customer, the sequence numbers the broker
 * acknowledged. A record's id is {@code <customer>:<seq>}. The audit compares what it reads back
 * from the bucket with this, never with the job's counters.
 *
 * <p>A send the producer reports as failed may or may not be in the topic; it is kept apart ({@link
 * #uncertain}), neither expected nor unexpected.
 */
public final class SentLedger {

    private final Map<String, Customer> customers = new ConcurrentHashMap<>();

    /** A customer's sequence counter and what became of each number. */
    private static final class Customer {
        final AtomicLong next = new AtomicLong();
        final BitSet acked = new BitSet();
        final BitSet uncertain = new BitSet();
    }

    /** The record id of a customer's {@code seq}-th record. */
    public static String recordId(String customer, long seq) {
        return customer + ":" + seq;
    }

    /** Reserves the customer's next sequence number. */
    public long next(String customer) {
        return customer(customer).next.getAndIncrement();
    }

    /** The broker acknowledged the record. */
    public void acked(String customer, long seq) {
        Customer c = customer(customer);
        synchronized (c) {
            c.acked.set(Math.toIntExact(seq));
        }
    }

    /** The producer gave up on the record: it may or may not be in the topic. */
    public void markUncertain(String customer, long seq) {
        Customer c = customer(customer);
        synchronized (c) {
            c.uncertain.set(Math.toIntExact(seq));
        }
    }

    /** Every customer something was sent for. */
    public Set<String> customers() {
        return new TreeSet<>(customers.keySet());
    }

    /** The acknowledged sequence numbers of a customer (a copy). */
    public BitSet acked(String customer) {
        Customer c = customers.get(customer);
        if (c == null) {
            return new BitSet();
        }
        synchronized (c) {
            return (BitSet) c.acked.clone();
        }
    }

    /** Whether the customer's {@code seq} may have been written without an acknowledgement. */
    public boolean uncertain(String customer, long seq) {
        Customer c = customers.get(customer);
        if (c == null || seq > Integer.MAX_VALUE) {
            return false;
        }
        synchronized (c) {
            return c.uncertain.get((int) seq);
        }
    }

    /** Whether {@code seq} was ever handed out for the customer. */
    public boolean issued(String customer, long seq) {
        Customer c = customers.get(customer);
        return c != null && seq >= 0 && seq < c.next.get();
    }

    /** Acknowledged records of one customer. */
    public long ackedCount(String customer) {
        return acked(customer).cardinality();
    }

    /** Acknowledged records of all customers. */
    public long ackedTotal() {
        long total = 0;
        for (String customer : customers.keySet()) {
            total += ackedCount(customer);
        }
        return total;
    }

    /** Records whose fate the producer could not tell. */
    public long uncertainTotal() {
        long total = 0;
        for (Customer c : customers.values()) {
            synchronized (c) {
                total += c.uncertain.cardinality();
            }
        }
        return total;
    }

    private Customer customer(String customer) {
        return customers.computeIfAbsent(customer, k -> new Customer());
    }
}
