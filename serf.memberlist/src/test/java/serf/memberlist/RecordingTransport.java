package serf.memberlist;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import serf.memberlist.internal.msg.Message;
import serf.memberlist.internal.msg.MessageCodec;
import serf.memberlist.internal.msg.PacketCodec;
import serf.memberlist.internal.msg.StreamCodec;
import serf.memberlist.internal.msg.StreamRejectedException;
import serf.memberlist.internal.msg.WireOptions;
import serf.memberlist.transport.StreamConnection;
import serf.memberlist.transport.Transport;

/**
 * The transport of tests that drive one node's prober or gossiper by hand: nothing arrives through
 * it, and everything the node sends is kept, one entry per message (compound packets are taken
 * apart), with where it went and when by the test's clock. The test may react to each message as it
 * is sent ({@link #reaction}), e.g. by scheduling an ack. Stream dials are counted and refused, or,
 * with {@link #tcpAnswers}, answered with the ack of the ping written to them. Plain wire format
 * (no encryption, no compression); the address is 127.0.0.1:7946.
 */
final class RecordingTransport implements Transport {

    /** One message sent: the message, its destination, and the clock's reading when it went. */
    record Sent(Message message, InetSocketAddress to, long atNanos) {
        int lastOctet() {
            return to.getAddress().getAddress()[3] & 0xff;
        }
    }

    private final Clock clock;
    private final List<Sent> sent = new ArrayList<>();
    /** Called for each message as it is sent (on the sending thread, after it was recorded). */
    BiConsumer<Message, InetSocketAddress> reaction = (m, to) -> { };
    /** Whether dials are answered (with an ack of the ping they carry) instead of refused. */
    boolean tcpAnswers;
    /** Stream dials so far, answered or not. */
    int dials;

    /** @param clock stamps each message sent (the test's manual clock) */
    RecordingTransport(Clock clock) {
        this.clock = clock;
    }

    /** {@return every message sent so far, in order, with destination and time} */
    List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** {@return every message sent so far, in order} */
    List<Message> messages() {
        return sent.stream().map(Sent::message).toList();
    }

    /** {@return the messages sent to the address ending in {@code lastOctet}, in order} */
    List<Message> messagesTo(int lastOctet) {
        return sent.stream().filter(s -> s.lastOctet() == lastOctet).map(Sent::message).toList();
    }

    /** {@return the last octets of the addresses that were sent anything} */
    Set<Integer> lastOctetsReached() {
        Set<Integer> out = new HashSet<>();
        sent.forEach(s -> out.add(s.lastOctet()));
        return out;
    }

    /** Forgets what was sent so far (dials stay counted). */
    void clearSent() {
        sent.clear();
    }

    @Override
    public void start(PacketHandler packets, StreamHandler streams) {
    }

    @Override
    public InetSocketAddress advertiseAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 7946);
    }

    @Override
    public void sendPacket(byte[] payload, InetSocketAddress to) {
        for (Message m : PacketCodec.decode(PacketCodec.open(payload, WireOptions.plain())).messages()) {
            sent.add(new Sent(m, to, clock.nanoTime()));
            reaction.accept(m, to);
        }
    }

    @Override
    public StreamConnection dialStream(InetSocketAddress to, Duration timeout) throws IOException {
        dials++;
        if (!tcpAnswers) {
            throw new IOException("connection refused");
        }
        return new AckingStream(to);
    }

    @Override
    public void close() {
    }

    /** A stream that answers the ping written to it with its ack. */
    private static final class AckingStream implements StreamConnection {
        private final InetSocketAddress remote;
        private final ByteArrayOutputStream request = new ByteArrayOutputStream();

        AckingStream(InetSocketAddress remote) {
            this.remote = remote;
        }

        @Override
        public InputStream input() throws IOException {
            Message ping;
            try {
                ping = StreamCodec.read(new ByteArrayInputStream(request.toByteArray()), WireOptions.plain(), 1 << 20);
            } catch (StreamRejectedException e) {
                throw new IOException(e);
            }
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            StreamCodec.write(reply, MessageCodec.encode(new Message.Ack(((Message.Ping) ping).seqNo(), null)), WireOptions.plain());
            return new ByteArrayInputStream(reply.toByteArray());
        }

        @Override
        public OutputStream output() {
            return request;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public void setDeadline(long deadlineNanos) {
        }

        @Override
        public void close() {
        }
    }
}
