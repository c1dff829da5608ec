package serf.memberlist;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;
import serf.memberlist.internal.msg.PacketCodec;
import serf.wire.DecodeException;
import serf.wire.InputBudget;

/**
 * Packets in (Go's handleCommand and its handlers): pings and indirect pings are answered on the
 * receiving thread, acks and nacks go to their waiters, and state changes and user messages are
 * handed off to the {@link HandoffQueue}, which {@link #drainHandoff} drains into the state machine:
 * one drain at a time runs on the node's scheduler, started by the receiver that finds none
 * running. A suspicion or death of this node itself is handled on the receiving thread at once (in
 * Go it waits in the queue): the refutation it causes is what keeps this node alive in the others'
 * views, and a queue that is behind would delay it past their suspicion timeouts.
 */
final class PacketHandler {
    private final NodeContext ctx;
    private final MemberlistConfig config;
    private final MemberlistStats stats;
    private final LogLimiter limited;
    private final PacketSender sender;
    private final AckWaiters acks;
    private final IndirectPingRelays relays;
    private final HandoffQueue handoff;
    private final AtomicBoolean draining = new AtomicBoolean();

    PacketHandler(NodeContext ctx, PacketSender sender, AckWaiters acks, IndirectPingRelays relays, HandoffQueue handoff) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.stats = ctx.stats();
        this.limited = ctx.limited();
        this.sender = sender;
        this.acks = acks;
        this.relays = relays;
        this.handoff = handoff;
    }

    void onPacket(byte[] datagram, InetSocketAddress from, long receivedNanos) {
        if (ctx.shutdown().isDown()) {
            return;
        }
        stats.packetsReceived.incrementAndGet();
        ctx.state().metrics().udpReceived.add(datagram.length);
        // Decompressed bytes are reserved as they are produced, and held until the messages are handled.
        try (InputBudget.Reservation r = ctx.budget().tryReserve(0)) {
            handlePacket(datagram, from, receivedNanos, r);
        }
    }

    private void handlePacket(byte[] datagram, InetSocketAddress from, long receivedNanos, InputBudget.Reservation r) {
        PacketCodec.Decoded decoded;
        try {
            byte[] plain = PacketCodec.open(datagram, ctx.wire());
            decoded = PacketCodec.decode(plain, r);
        } catch (DecodeException e) {
            stats.packetsDropped.incrementAndGet();
            ctx.log().log(System.Logger.Level.DEBUG, () -> "memberlist: dropped packet from " + from + ": " + e.getMessage());
            return;
        }
        if (decoded.budgetRefused()) {
            stats.packetsDropped.incrementAndGet();
            stats.decompressionRefused.incrementAndGet();
            limited.log(System.Logger.Level.WARNING, "packet-budget", "memberlist: dropped a packet from " + from
                    + ": its decompression was refused by the input budget");
            return;
        }
        if (!decoded.problems().isEmpty()) {
            stats.messagesMalformed.addAndGet(decoded.problems().size());
            ctx.log().log(System.Logger.Level.DEBUG, () -> "memberlist: problems in packet from " + from + ": " + decoded.problems());
        }
        for (Message m : decoded.messages()) {
            try {
                handlePacketMessage(m, from, receivedNanos);
            } catch (RuntimeException e) {
                stats.messagesMalformed.incrementAndGet();
                limited.log(System.Logger.Level.WARNING, "handle-failed", "memberlist: failed to handle " + m.type() + " from " + from + ": " + e);
            }
        }
    }

    private void handlePacketMessage(Message m, InetSocketAddress from, long receivedNanos) {
        switch (m) {
            case Message.Ping p -> handlePing(p, from);
            case Message.IndirectPing ip -> handleIndirectPing(ip, from);
            // The transport stamps arrivals in the system's time; another clock is read now.
            case Message.Ack a -> acks.ack(a.seqNo(), a.payload(), ctx.clock().isSystem() ? receivedNanos : ctx.clock().nanoTime(), from);
            case Message.Nack n -> acks.nack(n.seqNo());
            case Message.Alive a -> {
                InetAddress addr = WireAddress.of(a.addr());
                if (addr != null && !ctx.state().cidrs().allowed(addr)) {
                    return;
                }
                Message.Alive fixed = a;
                if (config.protocolVersion() < 2 || a.port() == 0) {
                    fixed = new Message.Alive(a.incarnation(), a.node(), a.addr(), config.bindPort(), a.meta(), a.vsn());
                }
                enqueue(fixed);
            }
            case Message.Suspect s -> enqueue(s);
            case Message.Dead d -> enqueue(d);
            case Message.User u -> enqueue(u);
            case Message.PushPull pp -> ctx.log().log(System.Logger.Level.DEBUG, "memberlist: push/pull in a packet ignored");
            case Message.Err e -> ctx.log().log(System.Logger.Level.DEBUG, "memberlist: err in a packet ignored");
        }
    }

    private void enqueue(Message m) {
        if (aboutSelfAccusation(m)) {
            // A suspicion or death of this node: the refutation must not wait behind the queue.
            stats.handoffInline.incrementAndGet();
            handle(m);
            return;
        }
        switch (handoff.offer(m)) {
            case QUEUED -> {
                if (draining.compareAndSet(false, true)) {
                    ctx.tasks().execute("handoff", this::drainHandoff);
                }
            }
            case MERGED -> { } // its subject's entry is waiting, and so a drain is pending
            case DROPPED -> limited.log(System.Logger.Level.WARNING, "handoff-full",
                    "memberlist: handler queue full, dropping message (" + m.type() + ")");
        }
    }

    private boolean aboutSelfAccusation(Message m) {
        return switch (m) {
            case Message.Suspect s -> s.node().equals(ctx.name());
            case Message.Dead d -> d.node().equals(ctx.name());
            default -> false;
        };
    }

    /** Hands every queued message to the state machine or the delegate, until the queue is empty. */
    void drainHandoff() {
        while (!ctx.shutdown().isDown()) {
            List<Message> batch = handoff.poll();
            if (batch.isEmpty()) {
                draining.set(false);
                // A message queued between the poll and the reset saw a drain running and started none.
                if (handoff.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            for (Message m : batch) {
                handle(m);
            }
        }
    }

    /**
     * Handles now, on the calling thread, whatever waits in the queue about {@code node}: the prober
     * calls it before it suspects a node, so that an alive message already received counts.
     */
    void handleQueued(String node) {
        if (ctx.shutdown().isDown()) {
            return;
        }
        for (Message m : handoff.take(node)) {
            handle(m);
        }
    }

    private void handle(Message m) {
        try {
            switch (m) {
                case Message.User u -> {
                    if (config.delegate() != null && u.payload().length > 0) {
                        config.delegate().notifyMsg(u.payload());
                    }
                }
                case Message.Alive a -> ctx.state().aliveNode(a, null, false);
                case Message.Suspect s -> ctx.state().suspectNode(s);
                case Message.Dead d -> ctx.state().deadNode(d);
                default -> { }
            }
        } catch (RuntimeException e) {
            stats.loopExceptions.incrementAndGet();
            limited.log(System.Logger.Level.WARNING, "handoff-failed", "memberlist: failed to handle " + m.type() + ": " + e);
        }
    }

    private void handlePing(Message.Ping p, InetSocketAddress from) {
        if (!p.node().isEmpty() && !p.node().equals(ctx.name())) {
            limited.log(System.Logger.Level.WARNING, "unexpected-ping", "memberlist: Got ping for unexpected node '" + p.node() + "' from=" + from);
            return;
        }
        byte[] payload = config.ping() != null ? config.ping().ackPayload() : null;
        InetSocketAddress to = replyAddress(p.sourceAddr(), p.sourcePort(), from);
        sender.sendMsg(to, MessageCodec.encode(new Message.Ack(p.seqNo(), payload)), false);
    }

    private static InetSocketAddress replyAddress(byte[] sourceAddr, int sourcePort, InetSocketAddress from) {
        if (sourceAddr != null && sourceAddr.length > 0 && sourcePort > 0) {
            InetAddress a = WireAddress.of(sourceAddr);
            if (a != null) {
                return new InetSocketAddress(a, sourcePort);
            }
        }
        return from;
    }

    private void handleIndirectPing(Message.IndirectPing ind, InetSocketAddress from) {
        InetAddress target = WireAddress.of(ind.target());
        if (target == null) {
            return;
        }
        int port = (config.protocolVersion() < 2 || ind.port() == 0) ? config.bindPort() : ind.port();
        long localSeq = acks.nextSeqNo();
        Message.Ping ping = new Message.Ping(localSeq, ind.node(), ctx.advertiseAddr().getAddress(), ctx.advertisePort(), ctx.name());
        InetSocketAddress requester = replyAddress(ind.sourceAddr(), ind.sourcePort(), from);
        AckWaiter waiter = acks.register(localSeq);
        boolean started = relays.start(waiter, config.probeTimeout(),
                () -> sender.sendMsg(requester, MessageCodec.encode(new Message.Ack(ind.seqNo(), null)), false),
                () -> {
                    if (ind.nack()) {
                        sender.sendMsg(requester, MessageCodec.encode(new Message.Nack(ind.seqNo())), false);
                    }
                },
                () -> acks.remove(localSeq));
        if (!started) {
            acks.remove(localSeq);
            limited.log(System.Logger.Level.WARNING, "relay-dropped", "memberlist: too many indirect pings in flight, dropping a request from " + from);
            return;
        }
        sender.sendMsg(new InetSocketAddress(target, port), MessageCodec.encode(ping), false);
    }
}
