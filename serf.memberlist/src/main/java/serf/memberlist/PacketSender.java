package serf.memberlist;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import serf.memberlist.internal.msg.PacketCodec;

/**
 * Packets out (Go's sendMsg, sendCompound, rawSendMsgPacket, getBroadcasts): messages go out with
 * whatever broadcasts fit piggybacked, memberlist's first, then the delegate's; but while the
 * delegate has urgent broadcasts ({@link Delegate#hasUrgentBroadcasts}) and memberlist has some
 * too, every other packet puts the delegate's first. Go always puts memberlist's first: after a storm
 * of 500 joins a user event then took 8 s to reach every node, waiting behind alive messages at each
 * hop. Taking turns bounds that wait to a packet and leaves memberlist every other packet whole.
 */
final class PacketSender {
    static final int COMPOUND_HEADER_OVERHEAD = 2;
    static final int COMPOUND_OVERHEAD = 2;
    private static final int USER_MSG_OVERHEAD = 1;
    private static final int MAX_COMPOUND_PARTS = 127;

    private final NodeContext ctx;
    private final MemberlistConfig config;
    private final serf.crypto.Keyring keyring;
    /** Counts packets filled while both had something and the delegate's was urgent: odd ones lead with it. */
    private final AtomicInteger sharedPackets = new AtomicInteger();

    PacketSender(NodeContext ctx, serf.crypto.Keyring keyring) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.keyring = keyring;
    }

    private boolean encryptionEnabled() {
        return keyring != null && !keyring.isEmpty();
    }

    int encryptionOverhead() {
        return encryptionEnabled() && config.gossipVerifyOutgoing()
                ? serf.crypto.Encryption.overhead(config.protocolVersion() < 2 ? 0 : 1) : 0;
    }

    /** Sends a message with whatever broadcasts fit piggybacked (Go's sendMsg). */
    void sendMsg(InetSocketAddress to, byte[] msg, boolean crc) {
        int bytesAvail = config.udpBufferSize() - msg.length - COMPOUND_HEADER_OVERHEAD - encryptionOverhead();
        List<byte[]> extra = bytesAvail > 0 && hasBroadcasts() ? getBroadcasts(COMPOUND_OVERHEAD, bytesAvail) : List.of();
        if (extra.isEmpty()) {
            rawSendPacket(to, msg, crc);
            return;
        }
        List<byte[]> all = new ArrayList<>(extra.size() + 1);
        all.add(msg);
        all.addAll(extra);
        sendCompound(to, all, crc);
    }

    void sendCompound(InetSocketAddress to, List<byte[]> msgs, boolean crc) {
        for (int i = 0; i < msgs.size(); i += MAX_COMPOUND_PARTS) {
            List<byte[]> part = msgs.subList(i, Math.min(msgs.size(), i + MAX_COMPOUND_PARTS));
            rawSendPacket(to, part.size() == 1 ? part.get(0) : PacketCodec.compound(part), crc);
        }
    }

    /** Whether memberlist's queue or the delegate may have a broadcast to send. */
    boolean hasBroadcasts() {
        Delegate d = config.delegate();
        return ctx.state().broadcasts().numQueued() > 0 || (d != null && d.hasBroadcasts());
    }

    /**
     * memberlist's broadcasts, then the delegate's (each prefixed with the user type byte); the other
     * way round in every other packet while the delegate has urgent ones and memberlist has some.
     */
    List<byte[]> getBroadcasts(int overhead, int limit) {
        TransmitLimitedQueue own = ctx.state().broadcasts();
        Delegate d = config.delegate();
        if (d == null) {
            return own.getBroadcasts(overhead, limit);
        }
        boolean delegateFirst = own.numQueued() > 0 && d.hasUrgentBroadcasts()
                && (sharedPackets.getAndIncrement() & 1) == 1;
        List<byte[]> out = new ArrayList<>();
        if (!delegateFirst) {
            out.addAll(own.getBroadcasts(overhead, limit));
        }
        int avail = limit - bytesUsed(out, overhead);
        if (avail > overhead + USER_MSG_OVERHEAD) {
            for (byte[] userMsg : d.getBroadcasts(overhead + USER_MSG_OVERHEAD, avail)) {
                if (userMsg == null || userMsg.length == 0) {
                    continue;
                }
                byte[] framed = new byte[userMsg.length + 1];
                framed[0] = 8;
                System.arraycopy(userMsg, 0, framed, 1, userMsg.length);
                out.add(framed);
            }
        }
        if (delegateFirst) {
            out.addAll(own.getBroadcasts(overhead, limit - bytesUsed(out, overhead)));
        }
        return out;
    }

    private static int bytesUsed(List<byte[]> msgs, int overhead) {
        int used = 0;
        for (byte[] b : msgs) {
            used += b.length + overhead;
        }
        return used;
    }

    /** Go adds CRC when the destination host equals a known node's name (names that are IPs). */
    boolean crcForAddress(InetSocketAddress to) {
        return ctx.state().table().knownWithCrc(to.getAddress().getHostAddress());
    }

    void rawSendPacket(InetSocketAddress to, byte[] msg, boolean crc) {
        if (ctx.shutdown().isDown()) {
            return;
        }
        try {
            byte[] sealed = PacketCodec.seal(msg, ctx.wire(), crc);
            ctx.state().metrics().udpSent.add(sealed.length);
            ctx.transport().sendPacket(sealed, to);
        } catch (IOException | RuntimeException e) {
            ctx.log().log(System.Logger.Level.DEBUG, () -> "memberlist: failed to send packet to " + to + ": " + e.getMessage());
        }
    }
}
