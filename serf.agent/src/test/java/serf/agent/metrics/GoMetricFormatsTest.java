package serf.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import serf.memberlist.metrics.Metrics;

/** go-metrics' formats, byte for byte: statsd/statsite lines, the SIGUSR1 dump, key naming; and the Prometheus text. */
class GoMetricFormatsTest {
    @Test
    void linesAreKeyColonGoPercentFPipeType() {
        assertThat(StatsLineSink.line("serf-agent.memberlist.udp.sent", 149, "c")).isEqualTo("serf-agent.memberlist.udp.sent:149.000000|c\n");
        // float32 first, as Go: 0.1 is 0.100000001490116...
        assertThat(StatsLineSink.line("serf-agent.memberlist.gossip", 0.1, "ms")).isEqualTo("serf-agent.memberlist.gossip:0.100000|ms\n");
        assertThat(StatsLineSink.line("serf-agent.h.runtime.alloc_bytes", 7110936, "g")).isEqualTo("serf-agent.h.runtime.alloc_bytes:7110936.000000|g\n");
        // Colons and blanks in a key become underscores (a user event called "a b:c").
        assertThat(StatsLineSink.line("serf-agent.serf.events.a b:c", 1, "c")).isEqualTo("serf-agent.serf.events.a_b_c:1.000000|c\n");
        assertThat(GoFloat.f3(1.0005)).isEqualTo("1.000"); // the binary value is just below .0005
        assertThat(GoFloat.f3(2.0005)).isEqualTo("2.001"); // and this one just above
        assertThat(GoFloat.f3(-0.0001)).isEqualTo("-0.000");
    }

    @Test
    void gaugesGetTheHostOnlyWhenAHostIsSet() {
        assertThat(new GoKeys("serf-agent", "web1").gauge("memberlist.health.score")).isEqualTo("serf-agent.web1.memberlist.health.score");
        assertThat(new GoKeys("serf-agent", "web1").other("memberlist.gossip")).isEqualTo("serf-agent.memberlist.gossip");
        assertThat(new GoKeys("serf-agent", null).gauge("memberlist.health.score")).isEqualTo("serf-agent.memberlist.health.score");
    }

    @Test
    void theDumpHasGosLinesForFinishedIntervalsOnly() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-05T00:12:03.5Z"));
        long[] mono = {1_000_000_000L};
        InmemSink sink = new InmemSink(new GoKeys("serf-agent", null), now::get, () -> mono[0]);
        Metrics m = new Metrics();
        m.addListener(sink);
        mono[0] += 2_500_000_000L;
        m.counter("serf.member.join").increment();
        m.counter("serf.member.join").increment();
        m.sample("memberlist.gossip").record(1);
        m.sample("memberlist.gossip").record(3);
        m.gauge("memberlist.health.score").set(2);
        now.set(Instant.parse("2026-12-05T00:12:11Z"));
        m.counter("memberlist.udp.sent").add(100); // the current interval: not dumped
        String dump = InmemDump.format(sink.data(), ZoneId.of("UTC"), sink.monoOrigin);
        assertThat(dump).isEqualTo("""
                [2026-12-05 00:12:00 +0000 UTC][G] 'serf-agent.memberlist.health.score': 2.000
                [2026-12-05 00:12:00 +0000 UTC][C] 'serf-agent.serf.member.join': Count: 2 Sum: 2.000 LastUpdated: 2026-12-05 00:12:03.5 +0000 UTC m=+2.500000000
                [2026-12-05 00:12:00 +0000 UTC][S] 'serf-agent.memberlist.gossip': Count: 2 Min: 1.000 Mean: 2.000 Max: 3.000 Stddev: 1.414 Sum: 4.000 LastUpdated: 2026-12-05 00:12:03.5 +0000 UTC m=+2.500000000
                """);
    }

    @Test
    void aMinuteOfIntervalsIsKept() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-05T00:00:00Z"));
        InmemSink sink = new InmemSink(new GoKeys("serf-agent", null), now::get, System::nanoTime);
        for (int i = 0; i < 10; i++) {
            now.set(Instant.parse("2026-12-05T00:00:00Z").plusSeconds(10L * i));
            sink.counter("x", 1);
        }
        assertThat(sink.data()).hasSize(6);
    }

    @Test
    void prometheusNamesAndTypes() {
        Metrics m = new Metrics();
        m.counter("memberlist.udp.sent").add(10);
        m.gauge("memberlist.health.score").set(1);
        m.sample("serf.coordinate.adjustment-ms").record(0.5);
        assertThat(PrometheusText.of(m.snapshot())).isEqualTo("""
                # TYPE serf_agent_memberlist_health_score gauge
                serf_agent_memberlist_health_score 1
                # TYPE serf_agent_memberlist_udp_sent counter
                serf_agent_memberlist_udp_sent 10
                # TYPE serf_agent_serf_coordinate_adjustment_ms summary
                serf_agent_serf_coordinate_adjustment_ms_sum 0.5
                serf_agent_serf_coordinate_adjustment_ms_count 1
                """);
        assertThat(PrometheusEndpoint.bindAddress(":9100").getAddress().isLoopbackAddress()).isTrue();
        assertThat(PrometheusEndpoint.bindAddress("9100").getAddress().isLoopbackAddress()).isTrue();
    }
}
