package serf.api;

import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import serf.memberlist.Clock;

/**
 * A query received by this node. The application may {@link #respond} once, before the
 * deadline, with at most the configured response size (1024 bytes by default).
 */
public final class Query implements Event {
    /** What sends the answer; implemented by Serf. */
    interface Responder {
        void respond(Query q, byte[] payload) throws QueryException;
    }

    private final long lTime;
    private final String name;
    private final byte[] payload;
    private final long id;
    private final InetAddress addr;
    private final int port;
    private final String sourceNode;
    private final long deadlineNanos;
    private final Instant deadline;
    private final int relayFactor;
    private final Responder responder;
    private final AtomicBoolean responded = new AtomicBoolean();

    Query(long lTime, String name, byte[] payload, long id, InetAddress addr, int port, String sourceNode,
          long timeoutNanos, int relayFactor, Responder responder, Clock clock) {
        this.lTime = lTime;
        this.name = name;
        this.payload = payload;
        this.id = id;
        this.addr = addr;
        this.port = port;
        this.sourceNode = sourceNode;
        this.deadlineNanos = clock.nanoTime() + timeoutNanos;
        this.deadline = clock.wallTime().plusNanos(timeoutNanos);
        this.relayFactor = relayFactor;
        this.responder = responder;
    }

    @Override
    public EventType type() {
        return EventType.QUERY;
    }

    /** {@return the query's Lamport time} */
    public long lTime() { return lTime; }
    /** {@return the query's name} */
    public String name() { return name; }
    /** {@return a copy of the query's payload; null when none was sent} */
    public byte[] payload() { return payload == null ? null : payload.clone(); }
    /** {@return the query's id, random per query (with the Lamport time it identifies the query)} */
    public long id() { return id; }
    /** {@return the address of the node that sent the query, where answers go} */
    public InetAddress sourceAddr() { return addr; }
    /** {@return the port of the node that sent the query} */
    public int sourcePort() { return port; }
    /** {@return the name of the node that sent the query} */
    public String sourceNode() { return sourceNode; }
    /** {@return when the sender stops taking answers (on this node's clock)} */
    public Instant deadline() { return deadline; }
    /** {@return how many other nodes also forward this node's answer to the sender} */
    public int relayFactor() { return relayFactor; }
    long deadlineNanos() { return deadlineNanos; }
    int payloadLength() { return payload == null ? 0 : payload.length; }
    AtomicBoolean respondedFlag() { return responded; }

    /**
     * Answers the query (Go's {@code Respond}): sends {@code payload} to the node that asked, and
     * through {@link #relayFactor()} other nodes. Once only.
     *
     * @param payload the answer; null or empty for an empty answer
     * @throws QueryException when the query was answered already, its deadline passed, or the
     *                        answer is larger than {@link Config#queryResponseSizeLimit()}
     */
    public void respond(byte[] payload) throws QueryException {
        responder.respond(this, payload);
    }

    @Override
    public String toString() {
        return "query: " + name;
    }
}
