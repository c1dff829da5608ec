package serf.memberlist;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import serf.memberlist.internal.msg.MessageType;
import serf.memberlist.internal.msg.PacketCodec;

/**
 * Packets out (Go's sendMsg, sendCompound, rawSendMsgPacket, getBroadcasts): messages go out with
 * whatever broadcasts fit piggybacked, memberlist's first, then the delegate's; except that the
 * delegate's urgent broadcasts ({@link Delegate#getUrgentBroadcasts}) lead every packet. Go always puts
 * memberlist's first: after a storm of 500 joins a user event then took 8 s to reach every node,
 * waiting behind alive messages at each hop. In every other packet the urgent ones may fill it; in the
 * others, while memberlist has a backlog, they get at most a quarter, so memberlist keeps at least
 * three quarters of those.
 */
final class PacketSender {
    static final int COMPOUND_HEADER_OVERHEAD = 2;
    static final int COMPOUND_OVERHEAD = 2;
    private static final int USER_MSG_OVERHEAD = 1;
    private static final int MAX_COMPOUND_PARTS = 127;

    private final NodeContext ctx;
    private final MemberlistConfig config;
    private final serf.crypto.Keyring keyring;
    /** Counts packets filled while the delegate had urgent broadcasts: in odd ones they may fill the packet. */
    private final AtomicInteger urgentPackets = new AtomicInteger();

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
     * The delegate's urgent broadcasts (each prefixed with the user type byte), then memberlist's, then
     * the delegate's others in what is left.
     */
    List<byte[]> getBroadcasts(int overhead, int limit) {
        TransmitLimitedQueue own = ctx.state().broadcasts();
        Delegate d = config.delegate();
        if (d == null) {
            return own.getBroadcasts(overhead, limit);
        }
        List<byte[]> out = new ArrayList<>();
        if (d.hasUrgentBroadcasts()) {
            boolean mayFill = own.numQueued() == 0 || (urgentPackets.getAndIncrement() & 1) == 1;
            addFramed(d.getUrgentBroadcasts(overhead + USER_MSG_OVERHEAD, mayFill ? limit : limit / 4), out);
        }
        out.addAll(own.getBroadcasts(overhead, limit - bytesUsed(out, overhead)));
        int avail = limit - bytesUsed(out, overhead);
        if (avail > overhead + USER_MSG_OVERHEAD) {
            addFramed(d.getBroadcasts(overhead + USER_MSG_OVERHEAD, avail), out);
        }
        return out;
    }

    /** Adds the delegate's messages to {@code out}, each prefixed with memberlist's user message type. */
    private static void addFramed(List<byte[]> userMsgs, List<byte[]> out) {
        for (byte[] userMsg : userMsgs) {
            if (userMsg == null || userMsg.length == 0) {
                continue;
            }
            byte[] framed = new byte[userMsg.length + 1];
            framed[0] = (byte) MessageType.USER.code();
            System.arraycopy(userMsg, 0, framed, 1, userMsg.length);
            out.add(framed);
        }
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
