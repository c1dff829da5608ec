package serf.api;

import serf.memberlist.Clock;
import serf.memberlist.MemberlistConfig;
import serf.memberlist.Scheduler;

/**
 * How Serf plugs into memberlist: the embedder's memberlist config, copied, with Serf's name,
 * protocol range and delegates (messages, membership events, name conflicts, merges, coordinates
 * on pings), its metrics registry, and its scheduler and clock when Serf made the scheduler.
 */
final class SerfMemberlistConfig {
    private SerfMemberlistConfig() {
    }

    /**
     * The memberlist config for a node.
     *
     * @param ownScheduler the scheduler Serf made, to be shared with memberlist; null when the embedder gave one
     * @param coordinates the coordinate client, or null when coordinates are disabled
     */
    static MemberlistConfig derive(Config config, SerfDelegate delegate, MemberTracker members, NameConflicts conflicts,
            SerfMetrics metrics, Coordinates coordinates, Scheduler ownScheduler, Clock clock, System.Logger log) {
        MemberlistConfig mc = config.memberlistConfig().copy()
                .name(config.nodeName())
                .protocolVersion(2)
                .delegateProtocolVersion(config.protocolVersion())
                .delegateProtocolMin(Serf.PROTOCOL_VERSION_MIN)
                .delegateProtocolMax(Serf.PROTOCOL_VERSION_MAX)
                .delegate(delegate)
                .events(new SerfEventDelegate(members))
                .conflict(conflicts)
                .metrics(metrics.registry);
        if (ownScheduler != null) {
            mc.scheduler(ownScheduler).clock(clock); // memberlist runs on the same scheduler; keep a clock the user set
        }
        if (coordinates != null) {
            mc.ping(coordinates);
        }
        if (config.merge() != null) {
            SerfMergeDelegate md = new SerfMergeDelegate(config.merge());
            mc.merge(md).alive(md);
        }
        if (mc.logger() == null) {
            mc.logger(log);
        }
        return mc;
    }
}
