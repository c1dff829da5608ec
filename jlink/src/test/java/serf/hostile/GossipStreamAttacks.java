package serf.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attacks on the gossip TCP port (memberlist streams). Each returns a one-line summary of what the
 * agent did with the connections (a tally of how they ended). Connections that an attack leaves
 * open on purpose belong to the {@link Connections} it is given, closed after the checks.
 */
final class GossipStreamAttacks {
    /** Go's cap on an encrypted stream (maxPushStateBytes); "just under" it is what Go still reads. */
    static final int ENCRYPTED_STREAM_CAP = 20 * 1024 * 1024;
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(12);
    private static final Duration ATTACK_DEADLINE = Duration.ofSeconds(30);

    private GossipStreamAttacks() {
    }

    /**
     * {@code streams} encrypted streams at once ({@code 0a}, a length just under 20 MiB, that many
     * random bytes): no key is needed, the body is read before any key is tried.
     */
    static String oversizedEncrypted(InetSocketAddress to, int streams) throws InterruptedException {
        int length = ENCRYPTED_STREAM_CAP - 16;
        byte[] header = GossipMessages.encryptedStreamHeader(length);
        try (Connections c = new Connections("encrypted-oversized")) {
            for (int i = 0; i < streams; i++) {
                c.start(() -> {
                    Socket s = c.open(to, REPLY_TIMEOUT);
                    String sent = Connections.send(s, header, length);
                    return sent + ", " + Connections.awaitReply(s);
                });
            }
            return Summary.tally(streams + " x encrypted stream of " + Summary.mib(length), c.awaitAll(ATTACK_DEADLINE));
        }
    }

    /**
     * {@code streams} encrypted streams declaring just under 20 MiB and sending nothing more, left
     * open (in {@code held}) while the agent is checked.
     */
    static String declaredEncryptedNeverSent(InetSocketAddress to, int streams, Connections held) throws IOException {
        byte[] header = GossipMessages.encryptedStreamHeader(ENCRYPTED_STREAM_CAP - 16);
        for (int i = 0; i < streams; i++) {
            held.open(to, REPLY_TIMEOUT).getOutputStream().write(header);
        }
        return streams + " x encrypted stream declaring " + Summary.mib(ENCRYPTED_STREAM_CAP - 16)
                + ", body never sent, held open";
    }

    /** {@code streams} plain push/pulls at once, each declaring {@code userStateBytes} of user state and sending it. */
    static String pushPullUserState(InetSocketAddress to, int streams, int userStateBytes) throws InterruptedException {
        try (Connections c = new Connections("pushpull-user-state")) {
            for (int i = 0; i < streams; i++) {
                byte[] header = pushPullStart("hostile-state-" + i, userStateBytes);
                c.start(() -> {
                    Socket s = c.open(to, REPLY_TIMEOUT);
                    String sent = Connections.send(s, header, userStateBytes);
                    return sent + ", " + Connections.awaitReply(s);
                });
            }
            return Summary.tally(streams + " x push/pull with " + Summary.mib(userStateBytes) + " user state",
                    c.awaitAll(ATTACK_DEADLINE));
        }
    }

    /** {@code streams} push/pulls declaring {@code userStateBytes} of user state that never comes, held open. */
    static String pushPullDeclaredNeverSent(InetSocketAddress to, int streams, int userStateBytes, Connections held)
            throws IOException {
        for (int i = 0; i < streams; i++) {
            held.open(to, REPLY_TIMEOUT).getOutputStream().write(pushPullStart("hostile-stall-" + i, userStateBytes));
        }
        return streams + " x push/pull declaring " + Summary.mib(userStateBytes) + " user state, never sent, held open";
    }

    /** {@code streams} streams at once, each one compress message (9) around {@code bomb}. */
    static String compressedBomb(InetSocketAddress to, int streams, Bombs.Bomb bomb) throws InterruptedException {
        byte[] message = GossipMessages.compress(bomb.lzw());
        try (Connections c = new Connections("lzw-bomb-tcp")) {
            for (int i = 0; i < streams; i++) {
                c.start(() -> {
                    Socket s = c.open(to, REPLY_TIMEOUT);
                    String sent = Connections.send(s, message, 0);
                    return sent + ", " + Connections.awaitReply(s);
                });
            }
            return Summary.tally(streams + " x stream of " + bomb, c.awaitAll(ATTACK_DEADLINE));
        }
    }

    /**
     * {@code waves} times, {@code streams} well-formed join push/pulls at once, each from a new node
     * ({@code storm-w-i} at 127.0.0.1:{@code deadPort}, alive, no user state): every connection of a
     * wave is opened and written before any reply is read, then every reply is read.
     */
    static String joinStorm(InetSocketAddress to, int waves, int streams, int deadPort) throws InterruptedException {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int w = 0; w < waves; w++) {
            try (Connections c = new Connections("join-storm-" + w)) {
                for (int i = 0; i < streams; i++) {
                    byte[] request = concat(GossipMessages.pushPullHeader(true, 1, 0), GossipMessages.nodeState(
                            "storm-" + w + "-" + i, GossipMessages.LOOPBACK, deadPort, 1, GossipMessages.STATE_ALIVE));
                    Socket s;
                    try {
                        s = c.open(to, REPLY_TIMEOUT);
                        s.getOutputStream().write(request);
                    } catch (IOException e) {
                        outcomes.merge("not connected", 1, Integer::sum);
                        continue;
                    }
                    c.start(() -> Connections.awaitReply(s));
                }
                c.awaitAll(ATTACK_DEADLINE).forEach((k, v) -> outcomes.merge(k, v, Integer::sum));
            }
        }
        return Summary.tally(waves + " waves of " + streams + " join push/pulls at once", outcomes);
    }

    /** Type byte, header and one node state (a left node: merging it changes nothing) of a push/pull. */
    private static byte[] pushPullStart(String node, int userStateBytes) {
        return concat(GossipMessages.pushPullHeader(false, 1, userStateBytes),
                GossipMessages.nodeState(node, GossipMessages.LOOPBACK, 1, 1, GossipMessages.STATE_LEFT));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
