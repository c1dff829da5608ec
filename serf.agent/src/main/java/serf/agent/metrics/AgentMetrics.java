package serf.agent.metrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import serf.memberlist.metrics.CounterValue;
import serf.memberlist.metrics.Gauge;
import serf.memberlist.metrics.GaugeValue;
import serf.memberlist.metrics.MetricValue;
import serf.memberlist.metrics.Metrics;
import serf.memberlist.metrics.MetricsSnapshot;
import serf.memberlist.metrics.SampleValue;

/**
 * The agent's metrics as Go's agent sets them up: the node's registry, the in-memory sink behind
 * the SIGUSR1 dump, the statsite and statsd sinks when configured (then gauges carry the host name),
 * the runtime gauges every second; and, ours, the Prometheus endpoint when configured.
 */
public final class AgentMetrics implements AutoCloseable {
    private final Metrics registry = new Metrics();
    private final InmemSink inmem;
    private final List<StatsLineSink> sinks = new ArrayList<>();
    private PrometheusEndpoint prometheus;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread runtime;

    private AgentMetrics(String statsiteAddr, String statsdAddr, System.Logger log) {
        boolean fanOut = !statsiteAddr.isEmpty() || !statsdAddr.isEmpty();
        GoKeys keys = new GoKeys(GoKeys.SERVICE, fanOut ? GoKeys.hostname() : null);
        inmem = new InmemSink(keys);
        if (!statsiteAddr.isEmpty()) {
            sinks.add(new StatsLineSink(StatsLineSink.Kind.STATSITE, statsiteAddr, keys, log));
        }
        if (!statsdAddr.isEmpty()) {
            sinks.add(new StatsLineSink(StatsLineSink.Kind.STATSD, statsdAddr, keys, log));
        }
        sinks.forEach(registry::addListener);
        registry.addListener(inmem);
        registry.polled("agent.metrics.sink_dropped", () -> sinks.stream().mapToLong(StatsLineSink::dropped).sum());
        // A platform thread: it wakes every second, and a virtual one's wake-up (timer thread, carrier,
        // mount) costs the interpreter several times a platform thread's (docs/benchmarks.md, "Idle CPU").
        runtime = Thread.ofPlatform().daemon().name("metrics-runtime").start(this::collectRuntime);
    }

    /**
     * Starts the agent's metrics.
     *
     * @param statsiteAddr statsite_addr, or ""
     * @param statsdAddr   statsd_addr, or ""
     */
    public static AgentMetrics start(String statsiteAddr, String statsdAddr, System.Logger log) {
        return new AgentMetrics(statsiteAddr, statsdAddr, log);
    }

    /** Also serves Prometheus text on {@code address} (see {@link PrometheusEndpoint}). */
    public PrometheusEndpoint startPrometheus(String address) throws IOException {
        prometheus = PrometheusEndpoint.start(address, registry::snapshot);
        return prometheus;
    }

    /** The registry the agent's node reports to. */
    public Metrics registry() {
        return registry;
    }

    /** Go's SIGUSR1 dump of the in-memory sink (finished intervals only, as Go). */
    public String dump() {
        return InmemDump.of(inmem);
    }

    /** Go's runtime gauges, as far as a JVM has them (no java.management: the image does not carry it). */
    private void collectRuntime() {
        Gauge threads = registry.gauge("runtime.num_goroutines");
        Gauge alloc = registry.gauge("runtime.alloc_bytes");
        Gauge sys = registry.gauge("runtime.sys_bytes");
        Runtime rt = Runtime.getRuntime();
        try (ProcThreadCount threadCount = ProcThreadCount.open()) {
            do {
                long total = rt.totalMemory();
                alloc.set(total - rt.freeMemory());
                sys.set(total);
                threads.set(threadCount.read());
            } while (!stop.await(1, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            // closing
        }
    }

    /**
     * The {@code metrics} section of {@code serf info}: each metric under its Go name, a counter as its
     * sum, a gauge as its value, a sample as {@code count=… min=… mean=… max=… stddev=…}.
     */
    public static Map<String, String> statsSection(MetricsSnapshot snapshot) {
        Map<String, String> out = new LinkedHashMap<>();
        for (MetricValue v : snapshot.values()) {
            out.put(v.name(), switch (v) {
                case CounterValue c -> Long.toString(c.sum());
                case GaugeValue g -> PrometheusText.number(g.value());
                case SampleValue s -> String.format(Locale.ROOT, "count=%d min=%.3f mean=%.3f max=%.3f stddev=%.3f",
                        s.count(), s.min(), s.mean(), s.max(), s.stddev());
            });
        }
        return out;
    }

    @Override
    public void close() {
        stop.countDown();
        if (prometheus != null) {
            prometheus.close();
        }
        sinks.forEach(StatsLineSink::close);
    }
}
