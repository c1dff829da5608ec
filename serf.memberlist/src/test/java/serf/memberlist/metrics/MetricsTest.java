package serf.memberlist.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void countersGaugesAndSamplesAddUpAndSnapshotSortedByName() {
        Metrics m = new Metrics();
        m.counter("memberlist.udp.sent").add(100);
        m.counter("memberlist.udp.sent").add(50);
        m.gauge("memberlist.health.score").set(3);
        Sample s = m.sample("memberlist.probeNode");
        s.record(1);
        s.record(3);
        m.polled("memberlist.stats.nodes_refused", () -> 7);

        MetricsSnapshot snap = m.snapshot();
        assertThat(snap.values()).extracting(MetricValue::name).containsExactly("memberlist.health.score",
                "memberlist.probeNode", "memberlist.stats.nodes_refused", "memberlist.udp.sent");
        assertThat(snap.get("memberlist.udp.sent")).contains(new CounterValue("memberlist.udp.sent", 2, 150));
        assertThat(snap.get("memberlist.health.score")).contains(new GaugeValue("memberlist.health.score", 3));
        SampleValue probe = (SampleValue) snap.get("memberlist.probeNode").orElseThrow();
        assertThat(probe.count()).isEqualTo(2);
        assertThat(probe.min()).isEqualTo(1);
        assertThat(probe.max()).isEqualTo(3);
        assertThat(probe.mean()).isEqualTo(2);
        assertThat(probe.stddev()).isCloseTo(Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(snap.count("memberlist.stats.nodes_refused")).isEqualTo(7);
    }

    @Test
    void aNameKeepsItsKind() {
        Metrics m = new Metrics();
        m.counter("x");
        assertThatThrownBy(() -> m.gauge("x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namesFromPeersAreCapped() {
        Metrics m = new Metrics();
        for (int i = 0; i < Metrics.MAX_NAMES + 100; i++) {
            m.counter("serf.events", "e" + i).increment();
        }
        assertThat(m.snapshot().values()).hasSize(Metrics.MAX_NAMES);
        assertThat(m.namesRefused()).isEqualTo(100);
        // A name already known is still counted once the cap is reached.
        m.counter("serf.events", "e0").increment();
        assertThat(m.snapshot().count("serf.events.e0")).isEqualTo(2);
    }

    @Test
    void listenersSeeEveryUpdateAndTheirFailuresAreCounted() {
        Metrics m = new Metrics();
        List<String> seen = new ArrayList<>();
        MetricsListener l = new MetricsListener() {
            public void counter(String name, double value) { seen.add("c " + name + " " + value); }
            public void gauge(String name, double value) { seen.add("g " + name + " " + value); }
            public void sample(String name, double value) { throw new IllegalStateException("boom"); }
        };
        m.addListener(l);
        m.counter("a").add(2);
        m.gauge("b").set(1.5);
        m.sample("c").record(4);
        assertThat(seen).containsExactly("c a 2.0", "g b 1.5");
        assertThat(m.listenerFailures()).isEqualTo(1);
        assertThat(m.snapshot().count("c")).isEqualTo(1);
        m.removeListener(l);
        m.counter("a").increment();
        assertThat(seen).hasSize(2);
    }

    @Test
    void registriesAreIndependent() {
        Metrics a = new Metrics();
        Metrics b = new Metrics();
        a.counter("serf.member.join").increment();
        assertThat(b.snapshot().count("serf.member.join")).isZero();
    }

    @Test
    void incrementingAllocatesNothing() throws Exception {
        // com.sun.management through reflection: this module does not read jdk.management (nor should it).
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        java.lang.reflect.Method allocated = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getThreadAllocatedBytes", long.class);
        Metrics m = new Metrics();
        Counter c = m.counter("memberlist.udp.sent");
        Gauge g = m.gauge("memberlist.health.score");
        Sample s = m.sample("memberlist.gossip");
        for (int i = 0; i < 200_000; i++) { // warm up (JIT)
            c.add(i);
            g.set(i);
            s.record(i);
        }
        long tid = Thread.currentThread().threadId();
        long before = (long) allocated.invoke(mx, tid);
        for (int i = 0; i < 1_000_000; i++) {
            c.add(i);
            g.set(i);
            s.record(i);
        }
        long bytes = (long) allocated.invoke(mx, tid) - before;
        // A million updates of each kind; slack for the reflective call that measures.
        assertThat(bytes).isLessThan(4096);
    }
}
