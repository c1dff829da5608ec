package serf.api;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import serf.api.coordinate.Coordinate;
import serf.api.coordinate.CoordinateClient;
import serf.api.coordinate.CoordinateCodec;
import serf.api.coordinate.CoordinateConfig;
import serf.memberlist.Node;
import serf.memberlist.PingDelegate;
import serf.wire.DecodeException;

/**
 * Network coordinates (Go's ping_delegate.go): our coordinate rides on every probe ack, and each
 * ack received updates it with the measured round trip; the last coordinate seen per node is cached.
 */
final class Coordinates implements PingDelegate {
    private final CoordinateClient client;
    private final Map<String, Coordinate> cache = new ConcurrentHashMap<>();
    private final String localName;
    private final System.Logger log;

    /** @param random the node's random source (the direction picked when two coordinates coincide) */
    Coordinates(String localName, System.Logger log, java.util.random.RandomGenerator random) {
        this.client = new CoordinateClient(CoordinateConfig.defaults(), random);
        this.localName = localName;
        this.log = log;
    }

    @Override
    public byte[] ackPayload() {
        return CoordinateCodec.encode(client.getCoordinate());
    }

    @Override
    public void notifyPingComplete(Node other, Duration rtt, byte[] payload) {
        if (payload == null || payload.length == 0) {
            return;
        }
        try {
            Coordinate coord = CoordinateCodec.decode(payload);
            Coordinate before = client.getCoordinate();
            Coordinate after;
            try {
                after = client.update(other.name(), coord, rtt);
            } catch (IllegalArgumentException e) {
                metrics.coordinateRejected.increment();
                throw e;
            }
            metrics.coordinateAdjustment.record(before.distanceTo(after).toNanos() / 1e6);
            cache.put(other.name(), coord);
        } catch (DecodeException | IllegalArgumentException e) {
            log.log(System.Logger.Level.DEBUG, "serf: rejected coordinate from " + other.name() + ": " + e.getMessage());
        }
    }

    private SerfMetrics metrics = SerfMetrics.detached();

    /** The node's metrics (set once, before memberlist starts). */
    void metrics(SerfMetrics m) {
        metrics = m;
    }

    Coordinate local() {
        return client.getCoordinate();
    }

    Optional<Coordinate> cached(String node) {
        return node.equals(localName) ? Optional.of(client.getCoordinate()) : Optional.ofNullable(cache.get(node));
    }

    /** Forgets a member that was erased. */
    void forget(String node) {
        cache.remove(node);
        client.forgetNode(node);
    }

    long resets() {
        return client.stats().resets();
    }
}
