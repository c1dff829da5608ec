package serf.memberlist.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * One node's metrics registry: counters, gauges and samples under Go's metric names, plus the
 * node's drop and refusal counters read when a snapshot is taken. One registry per node (a
 * process may run many nodes; nothing here is static). See the package documentation for the names.
 *
 * <p>Look a metric up once ({@link #counter}, {@link #gauge}, {@link #sample}) and keep it: updating
 * it is lock-free and allocates nothing. Names made from peer input ({@code serf.events.<name>})
 * go through {@link #counter(String, String)}, which caps how many distinct names a registry holds.
 */
public final class Metrics {
    /** The most distinct metric names a registry accepts; further names are counted, not stored. */
    public static final int MAX_NAMES = 1024;

    private static final MetricsListener[] NONE = new MetricsListener[0];

    private final ConcurrentHashMap<String, Object> metrics = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongSupplier> polled = new ConcurrentHashMap<>();
    private final ReentrantLock listenersLock = new ReentrantLock();
    private volatile MetricsListener[] listeners = NONE;
    private final AtomicLong namesRefused = new AtomicLong();
    private final AtomicLong listenerFailures = new AtomicLong();
    private final Counter overflow = new Counter("metrics.names_refused", this);

    /** A new, empty registry. */
    public Metrics() {
    }

    /**
     * The counter called {@code name}, created on first use.
     *
     * @param name the metric's name
     * @return the counter called {@code name}, created on first use
     */
    public Counter counter(String name) {
        return get(name, Counter.class);
    }

    /**
     * The counter called {@code prefix + "." + suffix}, where the suffix comes from outside (a user
     * event's or query's name). Past {@link #MAX_NAMES} names, a shared counter that is never
     * reported stands in, and the refusal is counted ({@link #namesRefused()}).
     *
     * @param prefix the fixed part of the name
     * @param suffix the part of the name that comes from outside
     * @return the counter called {@code prefix + "." + suffix}, where the suffix comes from outside (a user event's or query's name)
     */
    public Counter counter(String prefix, String suffix) {
        String name = prefix + "." + suffix;
        Object m = metrics.get(name);
        if (m instanceof Counter c) {
            return c;
        }
        if (metrics.size() >= MAX_NAMES) {
            namesRefused.incrementAndGet();
            return overflow;
        }
        return counter(name);
    }

    /**
     * The gauge called {@code name}, created on first use.
     *
     * @param name the metric's name
     * @return the gauge called {@code name}, created on first use
     */
    public Gauge gauge(String name) {
        return get(name, Gauge.class);
    }

    /**
     * The sample (or timer) called {@code name}, created on first use.
     *
     * @param name the metric's name
     * @return the sample (or timer) called {@code name}, created on first use
     */
    public Sample sample(String name) {
        return get(name, Sample.class);
    }

    /**
     * Reports a count kept elsewhere (a drop or refusal counter of the node) under {@code name}: the
     * supplier is read when a snapshot is taken, never on the hot path. It must be cheap and must not block.
     *
     * @param name the metric's name
     * @param value the value
     */
    public void polled(String name, LongSupplier value) {
        polled.put(name, value);
    }

    private <T> T get(String name, Class<T> type) {
        Object m = metrics.get(name);
        if (m == null) {
            m = metrics.computeIfAbsent(name, n -> {
                if (type == Counter.class) {
                    return new Counter(n, this);
                } else if (type == Gauge.class) {
                    return new Gauge(n, this);
                }
                return new Sample(n, this);
            });
        }
        if (!type.isInstance(m)) {
            throw new IllegalArgumentException("metric " + name + " is a " + m.getClass().getSimpleName() + ", not a " + type.getSimpleName());
        }
        return type.cast(m);
    }

    /**
     * Adds a listener that sees every later update (see {@link MetricsListener}).
     *
     * @param listener the listener
     */
    public void addListener(MetricsListener listener) {
        listenersLock.lock();
        try {
            MetricsListener[] now = Arrays.copyOf(listeners, listeners.length + 1);
            now[now.length - 1] = java.util.Objects.requireNonNull(listener);
            listeners = now;
        } finally {
            listenersLock.unlock();
        }
    }

    /**
     * Removes a listener added before; no-op if it was not there.
     *
     * @param listener the listener
     */
    public void removeListener(MetricsListener listener) {
        listenersLock.lock();
        try {
            listeners = Arrays.stream(listeners).filter(l -> l != listener).toArray(MetricsListener[]::new);
        } finally {
            listenersLock.unlock();
        }
    }

    /**
     * Distinct names refused because the registry held {@link #MAX_NAMES} already.
     *
     * @return the distinct names refused because the registry held {@link #MAX_NAMES} already
     */
    public long namesRefused() {
        return namesRefused.get();
    }

    /**
     * Exceptions thrown by listeners (swallowed).
     *
     * @return exceptions thrown by listeners (swallowed)
     */
    public long listenerFailures() {
        return listenerFailures.get();
    }

    /**
     * Every metric's current value, sorted by name.
     *
     * @return every metric's current value, sorted by name
     */
    public MetricsSnapshot snapshot() {
        List<MetricValue> out = new ArrayList<>(metrics.size() + polled.size());
        for (Object m : metrics.values()) {
            switch (m) {
                case Counter c -> out.add(new CounterValue(c.name(), c.count(), c.sum()));
                case Gauge g -> out.add(new GaugeValue(g.name(), g.value()));
                case Sample s -> out.add(s.value());
                default -> { }
            }
        }
        for (Map.Entry<String, LongSupplier> e : polled.entrySet()) {
            long v = e.getValue().getAsLong();
            out.add(new CounterValue(e.getKey(), v, v));
        }
        out.sort(Comparator.comparing(MetricValue::name));
        return new MetricsSnapshot(List.copyOf(out));
    }

    void counted(Counter c, long value) {
        MetricsListener[] ls = listeners;
        if (ls.length == 0 || c == overflow) {
            return;
        }
        for (MetricsListener l : ls) {
            try {
                l.counter(c.name(), value);
            } catch (RuntimeException e) {
                listenerFailures.incrementAndGet();
            }
        }
    }

    void gaugeSet(Gauge g, double value) {
        for (MetricsListener l : listeners) {
            try {
                l.gauge(g.name(), value);
            } catch (RuntimeException e) {
                listenerFailures.incrementAndGet();
            }
        }
    }

    void sampled(Sample s, double value) {
        for (MetricsListener l : listeners) {
            try {
                l.sample(s.name(), value);
            } catch (RuntimeException e) {
                listenerFailures.incrementAndGet();
            }
        }
    }
}
