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

    public long lTime() { return lTime; }
    public String name() { return name; }
    /** The query's payload; null when none was sent. */
    public byte[] payload() { return payload == null ? null : payload.clone(); }
    public long id() { return id; }
    public InetAddress sourceAddr() { return addr; }
    public int sourcePort() { return port; }
    public String sourceNode() { return sourceNode; }
    public Instant deadline() { return deadline; }
    public int relayFactor() { return relayFactor; }
    long deadlineNanos() { return deadlineNanos; }
    int payloadLength() { return payload == null ? 0 : payload.length; }
    AtomicBoolean respondedFlag() { return responded; }

    /** Answers the query; fails if already answered, past the deadline or too large. */
    public void respond(byte[] payload) throws QueryException {
        responder.respond(this, payload);
    }

    @Override
    public String toString() {
        return "query: " + name;
    }
}
