package serf.agent.metrics;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import serf.memberlist.metrics.MetricsListener;

/**
 * Go's in-memory sink as the agent sets it up: updates aggregated per 10-second interval, the last
 * minute kept (six intervals), for the SIGUSR1 dump ({@link InmemDump}). Values are held as Go holds
 * them (float32 widened to float64). One short lock; no user code runs under it.
 */
public final class InmemSink implements MetricsListener {
    static final long INTERVAL_MILLIS = 10_000;
    static final int MAX_INTERVALS = 6; // a minute of 10 s intervals

    private final GoKeys keys;
    private final java.util.function.Supplier<Instant> clock;
    private final LongSupplier monoNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Interval> intervals = new ArrayDeque<>();
    static final int MAX_CACHED_KEYS = 1024;
    private final ConcurrentHashMap<String, String> gaugeKeys = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> otherKeys = new ConcurrentHashMap<>();
    /** Go's monotonic clock reading 0 (its process start): here the sink's creation, at agent start. */
    final long monoOrigin;

    public InmemSink(GoKeys keys) {
        this(keys, Instant::now, System::nanoTime);
    }

    InmemSink(GoKeys keys, java.util.function.Supplier<Instant> clock, LongSupplier monoNanos) {
        this.keys = keys;
        this.clock = clock;
        this.monoNanos = monoNanos;
        this.monoOrigin = monoNanos.getAsLong();
    }

    /**
     * One interval's aggregates, keyed by flattened name: hashed while it fills (every probe, packet
     * and gossip round updates one; a sorted map compared the long common "serf-agent." prefix each
     * time, which showed in an idle agent's profile), sorted in the copies the dump prints.
     */
    static final class Interval {
        final long startMillis;
        final Map<String, Double> gauges;
        final Map<String, Aggregate> counters;
        final Map<String, Aggregate> samples;

        Interval(long startMillis) {
            this(startMillis, new HashMap<>(), new HashMap<>(), new HashMap<>());
        }

        private Interval(long startMillis, Map<String, Double> gauges, Map<String, Aggregate> counters,
                Map<String, Aggregate> samples) {
            this.startMillis = startMillis;
            this.gauges = gauges;
            this.counters = counters;
            this.samples = samples;
        }

        /** A copy with its maps sorted by key, as Go's dump prints them. */
        Interval copy() {
            Interval c = new Interval(startMillis, new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
            c.gauges.putAll(gauges);
            counters.forEach((k, v) -> c.counters.put(k, v.copy()));
            samples.forEach((k, v) -> c.samples.put(k, v.copy()));
            return c;
        }
    }

    /** Go's AggregateSample. */
    static final class Aggregate {
        long count;
        double sum;
        double sumSq;
        double min;
        double max;
        long lastWallNanos; // since the epoch
        long lastMonoNanos;

        void ingest(double v, long wallNanosEpoch, long mono) {
            count++;
            sum += v;
            sumSq += v * v;
            if (v < min || count == 1) {
                min = v;
            }
            if (v > max || count == 1) {
                max = v;
            }
            lastWallNanos = wallNanosEpoch;
            lastMonoNanos = mono;
        }

        double mean() {
            return count == 0 ? 0 : sum / count;
        }

        double stddev() {
            double num = count * sumSq - sum * sum;
            double div = (double) count * (count - 1);
            return div == 0 ? 0 : Math.sqrt(num / div);
        }

        Aggregate copy() {
            Aggregate a = new Aggregate();
            a.count = count;
            a.sum = sum;
            a.sumSq = sumSq;
            a.min = min;
            a.max = max;
            a.lastWallNanos = lastWallNanos;
            a.lastMonoNanos = lastMonoNanos;
            return a;
        }
    }

    @Override
    public void gauge(String name, double value) {
        String k = flatKey(gaugeKeys, name, true);
        Instant now = clock.get();
        lock.lock();
        try {
            current(now).gauges.put(k, GoFloat.f32(value));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void counter(String name, double value) {
        ingest(true, flatKey(otherKeys, name, false), value);
    }

    @Override
    public void sample(String name, double value) {
        ingest(false, flatKey(otherKeys, name, false), value);
    }

    /**
     * The full, flattened key of a metric name, built once per name: the names are a fixed set of the
     * code's (metric names carry no peer input), but the cache stops growing at
     * {@link #MAX_CACHED_KEYS} all the same.
     */
    private String flatKey(ConcurrentHashMap<String, String> cache, String name, boolean gauge) {
        String k = cache.get(name);
        if (k == null) {
            k = GoKeys.inmemFlat(gauge ? keys.gauge(name) : keys.other(name));
            if (cache.size() < MAX_CACHED_KEYS) {
                cache.put(name, k);
            }
        }
        return k;
    }

    private void ingest(boolean counter, String key, double value) {
        Instant now = clock.get();
        long wallNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        long mono = monoNanos.getAsLong();
        lock.lock();
        try {
            Interval in = current(now);
            Map<String, Aggregate> m = counter ? in.counters : in.samples;
            Aggregate a = m.get(key);
            if (a == null) {
                a = new Aggregate();
                m.put(key, a);
            }
            a.ingest(GoFloat.f32(value), wallNanos, mono);
        } finally {
            lock.unlock();
        }
    }

    /** The interval of now, created (and the oldest dropped past a minute) as needed; under the lock. */
    private Interval current() {
        return current(clock.get());
    }

    private Interval current(Instant now) {
        long start = Math.floorDiv(now.toEpochMilli(), INTERVAL_MILLIS) * INTERVAL_MILLIS;
        Interval last = intervals.peekLast();
        if (last != null && last.startMillis == start) {
            return last;
        }
        Interval i = new Interval(start);
        intervals.addLast(i);
        while (intervals.size() > MAX_INTERVALS) {
            intervals.removeFirst();
        }
        return i;
    }

    /** Copies of the kept intervals, oldest first, the current one (created if need be) last, as Go's Data(). */
    List<Interval> data() {
        lock.lock();
        try {
            current();
            List<Interval> out = new ArrayList<>(intervals.size());
            for (Interval i : intervals) {
                out.add(i.copy());
            }
            return out;
        } finally {
            lock.unlock();
        }
    }
}
