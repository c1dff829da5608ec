package serf.agent.metrics;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * What Go's agent writes to stderr on SIGUSR1: for each finished interval of the in-memory sink (not
 * the current one), its gauges ({@code [G]}), counters ({@code [C]}) and samples ({@code [S]}), one
 * per line: {@code [<interval start>][C] '<key>': Count: 3 Sum: 3.000 LastUpdated: <time>}.
 */
public final class InmemDump {
    private static final DateTimeFormatter BASE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter ZONE = DateTimeFormatter.ofPattern("Z z", Locale.ROOT);

    private InmemDump() {
    }

    /** The dump of {@code sink} now, in the process's time zone. */
    public static String of(InmemSink sink) {
        return format(sink.data(), ZoneId.systemDefault(), sink.monoOrigin);
    }

    static String format(List<InmemSink.Interval> data, ZoneId zone, long monoOrigin) {
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < data.size() - 1; j++) {
            InmemSink.Interval in = data.get(j);
            String at = goTime(in.startMillis * 1_000_000, zone);
            in.gauges.forEach((k, v) -> b.append('[').append(at).append("][G] '").append(k).append("': ")
                    .append(GoFloat.f3(v)).append('\n'));
            in.counters.forEach((k, a) -> b.append('[').append(at).append("][C] '").append(k).append("': ")
                    .append(aggregate(a, zone, monoOrigin)).append('\n'));
            in.samples.forEach((k, a) -> b.append('[').append(at).append("][S] '").append(k).append("': ")
                    .append(aggregate(a, zone, monoOrigin)).append('\n'));
        }
        return b.toString();
    }

    /** Go's AggregateSample.String(). */
    static String aggregate(InmemSink.Aggregate a, ZoneId zone, long monoOrigin) {
        if (a.count == 0) {
            return "Count: 0";
        }
        String last = goTime(a.lastWallNanos, zone) + " m=+" + seconds9(a.lastMonoNanos - monoOrigin);
        if (a.stddev() == 0) {
            return "Count: " + a.count + " Sum: " + GoFloat.f3(a.sum) + " LastUpdated: " + last;
        }
        return "Count: " + a.count + " Min: " + GoFloat.f3(a.min) + " Mean: " + GoFloat.f3(a.mean())
                + " Max: " + GoFloat.f3(a.max) + " Stddev: " + GoFloat.f3(a.stddev()) + " Sum: " + GoFloat.f3(a.sum)
                + " LastUpdated: " + last;
    }

    /** Go's Time.String() without the monotonic part: fractional seconds only when not zero, trailing zeros cut. */
    static String goTime(long epochNanos, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L))
                .atZone(zone);
        String s = BASE.format(t);
        int nanos = t.getNano();
        if (nanos != 0) {
            String f = String.format(Locale.ROOT, "%09d", nanos).replaceAll("0+$", "");
            s += "." + f;
        }
        return s + " " + ZONE.format(t);
    }

    private static String seconds9(long nanos) {
        nanos = Math.max(0, nanos);
        return (nanos / 1_000_000_000L) + "." + String.format(Locale.ROOT, "%09d", nanos % 1_000_000_000L);
    }
}
