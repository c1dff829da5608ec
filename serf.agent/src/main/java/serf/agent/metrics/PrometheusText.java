package serf.agent.metrics;

import java.util.Locale;
import serf.memberlist.metrics.CounterValue;
import serf.memberlist.metrics.GaugeValue;
import serf.memberlist.metrics.MetricValue;
import serf.memberlist.metrics.MetricsSnapshot;
import serf.memberlist.metrics.SampleValue;

/**
 * A snapshot in Prometheus' text exposition format (version 0.0.4). Names are Go's keys with the
 * service prefix, every character Prometheus does not allow turned into {@code _}
 * ({@code serf-agent.memberlist.udp.sent} → {@code serf_agent_memberlist_udp_sent}). Counters carry
 * their sum, gauges their value, samples are summaries ({@code _sum}, {@code _count}, no quantiles).
 */
public final class PrometheusText {
    /** The content type of the format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    public static String of(MetricsSnapshot snapshot) {
        StringBuilder b = new StringBuilder(4096);
        for (MetricValue v : snapshot.values()) {
            String n = name(GoKeys.SERVICE + "." + v.name());
            switch (v) {
                case CounterValue c -> b.append("# TYPE ").append(n).append(" counter\n")
                        .append(n).append(' ').append(c.sum()).append('\n');
                case GaugeValue g -> b.append("# TYPE ").append(n).append(" gauge\n")
                        .append(n).append(' ').append(number(g.value())).append('\n');
                case SampleValue s -> b.append("# TYPE ").append(n).append(" summary\n")
                        .append(n).append("_sum ").append(number(s.sum())).append('\n')
                        .append(n).append("_count ").append(s.count()).append('\n');
            }
        }
        return b.toString();
    }

    /** A valid metric name: [a-zA-Z_:][a-zA-Z0-9_:]*. */
    static String name(String key) {
        StringBuilder b = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
            b.append(ok ? c : '_');
        }
        return b.toString();
    }

    static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%s", d);
    }
}
