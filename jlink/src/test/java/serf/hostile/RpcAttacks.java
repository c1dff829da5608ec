package serf.hostile;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import serf.wire.MsgpackWriter;

/**
 * Attacks on the RPC port, all before any handshake (the RPC framing is bare msgpack objects, no
 * length prefix: docs/protocol/agent-rpc-cli.md §1.2). Connections left open on purpose belong to the
 * {@link Connections} given, closed after the checks.
 */
final class RpcAttacks {
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ATTACK_DEADLINE = Duration.ofSeconds(30);
    /** How long partial frames are left pending before they are completed. */
    private static final Duration HOLD = Duration.ofSeconds(3);
    /** Between the bytes of a frame fed a byte at a time. */
    private static final long TRICKLE_PACE_NANOS = 1_000_000;

    private RpcAttacks() {
    }

    /**
     * {@code connections} at once, each sending a msgpack bin32 of {@code frameBytes} in all (header
     * included): every connection sends all but the last byte, and only {@link #HOLD} after all have
     * (time for the agent to read them) do they send their last, so that every partial frame is
     * pending in the agent at once.
     */
    static String bigFrames(InetSocketAddress to, int connections, int frameBytes) throws InterruptedException {
        int payload = frameBytes - 5;
        byte[] header = ByteBuffer.allocate(5).put((byte) 0xc6).putInt(payload).array();
        CountDownLatch allButLastSent = new CountDownLatch(connections);
        try (Connections c = new Connections("rpc-big-frames")) {
            for (int i = 0; i < connections; i++) {
                c.start(() -> {
                    String sent;
                    Socket s;
                    try {
                        s = c.open(to, REPLY_TIMEOUT);
                        sent = Connections.send(s, header, payload - 1);
                    } finally {
                        allButLastSent.countDown();
                    }
                    if (!sent.equals("sent")) {
                        return sent;
                    }
                    try {
                        allButLastSent.await(20, TimeUnit.SECONDS);
                        Thread.sleep(HOLD);
                    } catch (InterruptedException e) {
                        return "interrupted";
                    }
                    try {
                        s.getOutputStream().write(0);
                    } catch (IOException e) {
                        return "cut by the agent before the last byte";
                    }
                    return "sent, " + Connections.awaitReply(s);
                });
            }
            return Summary.tally(connections + " x bin32 frame of " + Summary.mib(frameBytes) + " before the handshake,"
                    + " each last byte held " + HOLD.toSeconds() + " s after all the rest was sent",
                    c.awaitAll(ATTACK_DEADLINE));
        }
    }

    /**
     * {@code connections} connections each sending a handshake one byte per second, for as long as
     * they are {@code held}.
     */
    static String slowConnections(InetSocketAddress to, int connections, Connections held) throws IOException {
        byte[] handshake = handshake();
        for (int i = 0; i < connections; i++) {
            Socket s = held.open(to, REPLY_TIMEOUT);
            held.start(() -> {
                OutputStream out = s.getOutputStream();
                for (int b = 0; ; b = (b + 1) % handshake.length) {
                    out.write(handshake[b]);
                    out.flush();
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return "stopped";
                    }
                }
            });
        }
        return connections + " connections sending a handshake at a byte per second, held open";
    }

    /** {@code connections} connections that send nothing, {@code held} open. */
    static String idleConnections(InetSocketAddress to, int connections, Connections held) throws IOException {
        int opened = 0;
        for (int i = 0; i < connections; i++) {
            try {
                held.open(to, REPLY_TIMEOUT);
                opened++;
            } catch (IOException e) {
                break;
            }
        }
        return opened + " of " + connections + " idle connections opened, held open";
    }

    /**
     * {@code connections} connections at once, each sending the start of one msgpack array of nils
     * (a byte each): {@code prefix} bytes at once, then the rest a byte per write, a write every
     * {@link #TRICKLE_PACE_NANOS}, for at most {@code duration}. The agent should spend next to
     * nothing on it; a reader that re-walks the partial object on every read spends a walk of the
     * whole prefix on every byte.
     */
    static String frameTrickle(InetSocketAddress to, int connections, int prefix, Duration duration)
            throws InterruptedException {
        int elements = 1 << 20;
        byte[] frame = new byte[5 + elements];
        ByteBuffer.wrap(frame).put((byte) 0xdd).putInt(elements);
        java.util.Arrays.fill(frame, 5, frame.length, (byte) 0xc0);
        long end = System.nanoTime() + duration.toNanos();
        try (Connections c = new Connections("rpc-frame-trickle")) {
            for (int i = 0; i < connections; i++) {
                c.start(() -> {
                    Socket s = c.open(to, REPLY_TIMEOUT);
                    OutputStream out = s.getOutputStream();
                    int fed = 0;
                    try {
                        out.write(frame, 0, prefix);
                        for (fed = prefix; fed < frame.length && System.nanoTime() < end; fed++) {
                            out.write(frame[fed]);
                            LockSupport.parkNanos(TRICKLE_PACE_NANOS);
                        }
                        return "fed for " + duration.toSeconds() + " s";
                    } catch (IOException e) {
                        return "cut by the agent";
                    }
                });
            }
            return Summary.tally(connections + " x " + prefix / 1024 + " KiB of one array32 of nils, then a"
                    + " byte per write for " + duration.toSeconds() + " s", c.awaitAll(duration.plus(ATTACK_DEADLINE)));
        }
    }

    /** A handshake request (header and body), as the Go CLI sends it first. */
    static byte[] handshake() {
        MsgpackWriter w = MsgpackWriter.rpc();
        w.writeMapHeader(2).writeKey("Command").writeString("handshake").writeKey("Seq").writeInt(0);
        w.writeMapHeader(1).writeKey("Version").writeInt(1);
        return w.toByteArray();
    }
}
