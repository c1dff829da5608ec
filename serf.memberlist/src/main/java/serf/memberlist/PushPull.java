package serf.memberlist;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.StreamCodec;
import serf.memberlist.internal.msg.StreamRejectedException;
import serf.memberlist.internal.msg.WireOptions;
import serf.memberlist.transport.StreamConnection;
import serf.wire.DecodeException;
import serf.wire.InputBudget;
import serf.wire.InputRefusedException;

/**
 * Anti-entropy (Go's pushPull, pushPullNode, mergeRemoteState): the full state exchanged over a
 * stream with a random alive node every (scaled) PushPullInterval, and on joins; the client side
 * here, the server side's reply and merge too ({@link StreamHandler} hands them over).
 */
final class PushPull {
    private final NodeContext ctx;
    private final MemberlistConfig config;

    PushPull(NodeContext ctx) {
        this.ctx = ctx;
        this.config = ctx.config();
    }

    /** One periodic push/pull (Go's pushPull): with a random alive node, if there is one; failures are logged. */
    void pushPullRandom() {
        List<Node> peer = ctx.state().table().randomNodes(1, n -> n.name.equals(ctx.name()) || n.state != NodeState.ALIVE);
        if (peer.isEmpty()) {
            return;
        }
        try {
            pushPullNode(peer.get(0).name(), peer.get(0).address(), false);
        } catch (IOException | DecodeException e) {
            ctx.log().log(System.Logger.Level.ERROR, "memberlist: Push/Pull with " + peer.get(0).name() + " failed: " + e.getMessage());
        }
    }

    /** Go's pushPullScale: the interval grows with log2 of the cluster size beyond 32 nodes. */
    static Duration pushPullScale(Duration interval, int n) {
        if (n <= 32) {
            return interval;
        }
        // Go's math.Log2 is exact for powers of two; Math.log(n)/Math.log(2) is not always.
        double log2 = Integer.bitCount(n) == 1 ? 31 - Integer.numberOfLeadingZeros(n) : Math.log(n) / Math.log(2);
        double mult = Math.ceil(log2 - 5) + 1.0;
        return Duration.ofNanos((long) (interval.toNanos() * mult));
    }

    /** This node's side of a push/pull: every node's state and the delegate's. */
    Message.PushPull localState(boolean join) {
        List<Message.PushNodeState> states = ctx.state().table().pushStates();
        byte[] user = config.delegate() != null ? config.delegate().localState(join) : null;
        return new Message.PushPull(join, states, user);
    }

    /** Initiates a push/pull with {@code to} (Go's pushPullNode); {@code name} may be "" (joins). */
    void pushPullNode(String name, InetSocketAddress to, boolean join) throws IOException {
        long start = ctx.clock().nanoTime();
        boolean ok = false;
        try {
            exchange(name, to, join);
            ok = true;
        } finally {
            double millis = (ctx.clock().nanoTime() - start) / 1e6;
            ctx.state().metrics().pushPullNode.record(millis);
            serf.memberlist.internal.jfr.Flight.pushPull(name.isEmpty() ? NodeContext.hostPort(to) : name, join, ok, millis);
        }
    }

    private void exchange(String name, InetSocketAddress to, boolean join) throws IOException {
        ctx.log().log(System.Logger.Level.DEBUG, () -> "memberlist: Initiating push/pull sync with: " + name + " " + NodeContext.hostPort(to));
        // The reservation spans the read and the merge: the remote state is held until merged.
        try (InputBudget.Reservation r = ctx.budget().reserve(Memberlist.STREAM_OVERHEAD)) {
            Message.PushPull remote;
            try (StreamConnection c = ctx.transport().dialStream(to, config.tcpTimeout())) {
                WireOptions opts = ctx.wire();
                c.setDeadline(NodeContext.socketDeadline(config.tcpTimeout()));
                ctx.state().metrics().tcpConnect.increment();
                ctx.state().metrics().tcpSent.add(StreamCodec.write(c.output(), StreamCodec.encodePushPull(localState(join)), opts));
                c.setDeadline(NodeContext.socketDeadline(config.tcpTimeout()));
                Message reply;
                try {
                    reply = StreamCodec.read(new java.io.BufferedInputStream(c.input(), 8192), opts,
                            Memberlist.MAX_PUSH_STATE_BYTES, streamCap(ctx, join), r);
                } catch (StreamRejectedException e) {
                    throw new IOException(e.getMessage(), e);
                }
                if (reply instanceof Message.Err err) {
                    throw new IOException("remote error: " + err.error());
                }
                if (!(reply instanceof Message.PushPull pp)) {
                    throw new IOException("received invalid msgType (" + (reply == null ? "none" : reply.type()) + "), expected pushPullMsg");
                }
                remote = pp;
            }
            mergeRemoteState(remote);
        } catch (InputRefusedException e) {
            ctx.stats().streamsRefusedBudget.incrementAndGet();
            throw e;
        }
    }

    /**
     * The most an inbound stream may carry (see {@link StreamCap}): from the cluster's size, or Go's
     * 20 MiB when joining (this node asked for the state of a cluster it does not know yet).
     */
    static long streamCap(NodeContext ctx, boolean join) {
        MemberlistConfig c = ctx.config();
        return join ? StreamCap.MAX : StreamCap.of(c.streamCapBase(), c.streamCapPerNode(), ctx.state().table().estimatedNumNodes());
    }

    /** Checks the remote state, lets the merge delegate veto a join, then merges it (Go's mergeRemoteState). */
    void mergeRemoteState(Message.PushPull remote) throws IOException {
        List<Message.PushNodeState> states = fixPorts(remote.nodes());
        String incompatible = ctx.state().table().verifyProtocol(states);
        if (incompatible != null) {
            throw new IOException(incompatible);
        }
        if (remote.join() && config.merge() != null) {
            List<Node> peers = new ArrayList<>(states.size());
            for (Message.PushNodeState s : states) {
                InetAddress a = WireAddress.of(s.addr());
                byte[] v = s.vsn() != null && s.vsn().length == 6 ? s.vsn() : new byte[6];
                if (a != null) {
                    peers.add(new Node(s.name(), a, s.port(), s.meta(), NodeState.fromCode(s.state()),
                            v[0] & 0xff, v[1] & 0xff, v[2] & 0xff, v[3] & 0xff, v[4] & 0xff, v[5] & 0xff));
                }
            }
            String veto = config.merge().notifyMerge(peers);
            if (veto != null) {
                throw new IOException(veto);
            }
        }
        ctx.state().mergeState(states);
        if (remote.userState() != null && remote.userState().length > 0 && config.delegate() != null) {
            config.delegate().mergeRemoteState(remote.userState(), remote.join());
        }
    }

    private List<Message.PushNodeState> fixPorts(List<Message.PushNodeState> states) {
        List<Message.PushNodeState> out = new ArrayList<>(states.size());
        for (Message.PushNodeState s : states) {
            if (config.protocolVersion() < 2 || s.port() == 0) {
                s = new Message.PushNodeState(s.name(), s.addr(), config.bindPort(), s.meta(), s.incarnation(), s.state(), s.vsn());
            }
            out.add(s);
        }
        return out;
    }
}
