package serf.memberlist;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.random.RandomGenerator;
import serf.memberlist.internal.msg.WireOptions;
import serf.memberlist.transport.Transport;
import serf.wire.InputBudget;

/** What the parts of one node share: its configuration, clock, scheduler, counters, transport and state. */
record NodeContext(MemberlistConfig config, Clock clock, RandomGenerator random, System.Logger log, LogLimiter limited,
        MemberlistStats stats, Transport transport, WireOptions wire, InputBudget budget, MembershipState state,
        ShutdownSignal shutdown, NodeScheduler tasks, InetAddress advertiseAddr, int advertisePort) {

    String name() {
        return config.name();
    }

    /** A random wait in [0, interval): loops start staggered so that nodes started together do not tick together. */
    java.time.Duration stagger(java.time.Duration interval) {
        long n = interval.toNanos();
        return java.time.Duration.ofNanos(n <= 0 ? 0 : random.nextLong(n));
    }

    /** A socket deadline: transports keep the system's time, whatever the protocol's clock is. */
    static long socketDeadline(java.time.Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    static String hostPort(InetSocketAddress a) {
        return serf.wire.HostPort.of(a);
    }
}
