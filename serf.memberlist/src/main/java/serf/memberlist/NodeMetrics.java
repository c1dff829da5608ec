package serf.memberlist;

import serf.memberlist.metrics.Counter;
import serf.memberlist.metrics.Gauge;
import serf.memberlist.metrics.Metrics;
import serf.memberlist.metrics.Sample;

/** memberlist's metrics of one node under Go's names, looked up once so that updating them allocates nothing. */
final class NodeMetrics {
    final Metrics registry;
    final Sample probeNode;
    final Sample gossip;
    final Sample pushPullNode;
    final Counter degradedProbe;
    final Counter degradedTimeout;
    final Counter msgAlive;
    final Counter msgSuspect;
    final Counter msgDead;
    final Gauge healthScore;
    final Counter udpSent;
    final Counter udpReceived;
    final Counter tcpAccept;
    final Counter tcpConnect;
    final Counter tcpSent;

    NodeMetrics(Metrics registry) {
        this.registry = registry;
        probeNode = registry.sample("memberlist.probeNode");
        gossip = registry.sample("memberlist.gossip");
        pushPullNode = registry.sample("memberlist.pushPullNode");
        degradedProbe = registry.counter("memberlist.degraded.probe");
        degradedTimeout = registry.counter("memberlist.degraded.timeout");
        msgAlive = registry.counter("memberlist.msg.alive");
        msgSuspect = registry.counter("memberlist.msg.suspect");
        msgDead = registry.counter("memberlist.msg.dead");
        healthScore = registry.gauge("memberlist.health.score");
        udpSent = registry.counter("memberlist.udp.sent");
        udpReceived = registry.counter("memberlist.udp.received");
        tcpAccept = registry.counter("memberlist.tcp.accept");
        tcpConnect = registry.counter("memberlist.tcp.connect");
        tcpSent = registry.counter("memberlist.tcp.sent");
    }
}
