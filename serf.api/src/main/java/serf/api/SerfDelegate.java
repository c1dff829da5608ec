package serf.api;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import serf.api.internal.msg.SerfCodec;
import serf.api.internal.msg.SerfMessage;
import serf.api.internal.msg.Tags;
import serf.memberlist.Delegate;
import serf.wire.DecodeException;

/**
 * Serf's hooks into memberlist (Go's delegate.go): node meta (the tags), Serf's messages arriving
 * by gossip, what Serf piggybacks on gossip, and the push/pull state. Called on memberlist's
 * threads (or tasks), so none of them waits on the application: events leave through bounded
 * queues that drop (and count) rather than block.
 */
final class SerfDelegate implements Delegate {
    private final int protocolVersion;
    private final Supplier<Map<String, String>> tags;
    private final MemberTracker members;
    private final UserEvents events;
    private final Queries queries;
    private final SerfBroadcasts broadcasts;
    private final System.Logger log;

    SerfDelegate(int protocolVersion, Supplier<Map<String, String>> tags, MemberTracker members, UserEvents events,
                 Queries queries, SerfBroadcasts broadcasts, System.Logger log) {
        this.protocolVersion = protocolVersion;
        this.tags = tags;
        this.members = members;
        this.events = events;
        this.queries = queries;
        this.broadcasts = broadcasts;
        this.log = log;
    }

    @Override
    public byte[] nodeMeta(int limit) {
        byte[] meta = Tags.encodeMeta(tags.get(), protocolVersion);
        if (meta.length > limit) {
            throw new IllegalStateException("Encoded length of tags exceeds limit of " + limit + " bytes");
        }
        return meta;
    }

    /** A Serf message arrived by gossip: apply it, and rebroadcast it if it was new. */
    @Override
    public void notifyMsg(byte[] buf) {
        if (buf.length == 0) {
            return;
        }
        metrics.msgsReceived.record(buf.length);
        SerfMessage msg;
        try {
            msg = SerfCodec.decode(buf, 0, buf.length);
        } catch (DecodeException e) {
            log.log(System.Logger.Level.WARNING, "serf: Error decoding message: " + e.getMessage());
            return;
        }
        log.log(System.Logger.Level.DEBUG, () -> "serf: " + switch (msg) {
            case SerfMessage.Leave l -> "messageLeaveType: " + l.node();
            case SerfMessage.Join j -> "messageJoinType: " + j.node();
            case SerfMessage.UserEvent ue -> "messageUserEventType: " + ue.name();
            case SerfMessage.Query q -> "messageQueryType: " + q.name();
            case SerfMessage.QueryResponse r -> "messageQueryResponseType: " + r.from();
            default -> "message type " + msg.type();
        });
        switch (msg) {
            case SerfMessage.Leave l -> {
                if (members.leaveIntent(l)) {
                    broadcasts.intent(buf, null);
                }
            }
            case SerfMessage.Join j -> {
                if (members.joinIntent(j)) {
                    broadcasts.intent(buf, null);
                }
            }
            case SerfMessage.UserEvent ue -> {
                if (events.handle(ue)) {
                    broadcasts.event(buf);
                }
            }
            case SerfMessage.Query q -> {
                if (queries.handle(q)) {
                    broadcasts.query(buf);
                }
            }
            case SerfMessage.QueryResponse r -> queries.handleResponse(r);
            case SerfMessage.Relay r -> queries.handleRelay(r);
            default -> log.log(System.Logger.Level.WARNING, "serf: Received message of unknown type " + msg.type());
        }
    }

    @Override
    public List<byte[]> getBroadcasts(int overhead, int limit) {
        return counted(broadcasts.getBroadcasts(overhead, limit));
    }

    @Override
    public boolean hasBroadcasts() {
        return broadcasts.anyQueued();
    }

    /** User events and queries lead the packet, before memberlist's backlog; intents keep Go's order. */
    @Override
    public boolean hasUrgentBroadcasts() {
        return broadcasts.urgentQueued();
    }

    @Override
    public List<byte[]> getUrgentBroadcasts(int overhead, int limit) {
        return counted(broadcasts.getUrgentBroadcasts(overhead, limit));
    }

    /** Records each message sent in Serf's metrics (Go's serf.msgs.sent). */
    private List<byte[]> counted(List<byte[]> msgs) {
        for (byte[] m : msgs) {
            metrics.msgsSent.record(m.length);
        }
        return msgs;
    }

    private SerfMetrics metrics = SerfMetrics.detached();

    /** The node's metrics (set once, before memberlist starts). */
    void metrics(SerfMetrics m) {
        metrics = m;
    }

    /** Push/pull: the three Lamport clocks, each member's status LTime, the left members and the event ring. */
    @Override
    public byte[] localState(boolean join) {
        MemberTracker.StatusSnapshot status = members.statusSnapshot();
        List<SerfMessage.UserEventCollection> ring = events.snapshot();
        return SerfCodec.encode(new SerfMessage.PushPull(members.clock().time(), status.statusLTimes(), status.left(),
                events.clock().time(), ring, queries.clock().time()));
    }

    /** Push/pull from a peer: witness its clocks, apply its intents as if gossiped, replay its events. */
    @Override
    public void mergeRemoteState(byte[] buf, boolean join) {
        if (buf.length == 0 || buf[0] != 2) {
            log.log(System.Logger.Level.ERROR, "serf: Remote state has bad type prefix");
            return;
        }
        SerfMessage decoded;
        try {
            decoded = SerfCodec.decode(buf, 0, buf.length);
        } catch (DecodeException e) {
            log.log(System.Logger.Level.ERROR, "serf: Failed to decode remote state: " + e.getMessage());
            return;
        }
        if (!(decoded instanceof SerfMessage.PushPull pp)) {
            return;
        }
        if (pp.lTime() > 0) {
            members.clock().witness(pp.lTime() - 1);
        }
        queries.merge(pp.queryLTime());
        Map<String, Long> statusLTimes = pp.statusLTimes() == null ? Map.of() : pp.statusLTimes();
        List<String> left = pp.leftMembers() == null ? List.of() : pp.leftMembers();
        Set<String> leftSet = new HashSet<>(left);
        for (String name : left) {
            long lt = statusLTimes.getOrDefault(name, 0L);
            members.leaveIntent(new SerfMessage.Leave(lt + 1, name, false));
        }
        for (Map.Entry<String, Long> e : statusLTimes.entrySet()) {
            if (!leftSet.contains(e.getKey())) {
                members.restatedStatus(e.getKey(), e.getValue());
            }
        }
        events.merge(pp.eventLTime(), pp.events(), join);
    }
}
