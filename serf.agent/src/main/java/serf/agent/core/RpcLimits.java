package serf.agent.core;

import java.time.Duration;
import java.util.Objects;
import serf.wire.InputBudget;

/**
 * What the RPC server lets one client, and all of them together, hold. Go's agent has none of these
 * bounds, but its heap grows; ours does not, so input is reserved from {@link #budget} before it is
 * held and a client gets only what authentication needs until it has authenticated.
 *
 * @param budget                  memory for received frames, shared by every connection of the server
 *                                (default: {@link #DEFAULT_HEAP_FRACTION} of the heap)
 * @param preAuthMaxFrame         bound on one msgpack object (header or body) before the handshake
 *                                (and {@code auth} where {@code rpc_auth} is set): a handshake or auth
 *                                request is a few dozen bytes, so 4 KiB
 * @param maxFrame                bound on one object afterwards: 1 MiB, far above the largest legitimate
 *                                request (a user event is at most 9 KiB, queries and responses are
 *                                limited by the agent's size limits, tags fit in 512 bytes of metadata,
 *                                a join list of thousands of addresses stays well below it)
 * @param handshakeTimeout        a connection that has not completed the handshake (and auth) by then is
 *                                closed, idle or not
 * @param frameTimeout            once authenticated, an object whose first byte arrived must be complete
 *                                by then; idle connections (monitor, stream) stay open as in Go
 * @param readTick                how often a blocked read wakes to check those deadlines
 * @param maxStreamsPerConnection event streams, the monitor and running queries of one connection
 * @param maxStreamsTotal         the same over all connections
 * @param maxClients              connections at once; more are closed on accept
 */
public record RpcLimits(InputBudget budget, int preAuthMaxFrame, int maxFrame, Duration handshakeTimeout,
                        Duration frameTimeout, Duration readTick, int maxStreamsPerConnection, int maxStreamsTotal,
                        int maxClients) {

    /** The fraction of the heap the RPC server's own input budget gets by default. */
    public static final double DEFAULT_HEAP_FRACTION = 0.125;

    public RpcLimits {
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(frameTimeout, "frameTimeout");
        Objects.requireNonNull(readTick, "readTick");
        if (preAuthMaxFrame < 16 || maxFrame < preAuthMaxFrame || maxStreamsPerConnection < 1
                || maxStreamsTotal < 1 || maxClients < 1 || readTick.toMillis() < 1) {
            throw new IllegalArgumentException("RPC limits out of range: " + this);
        }
    }

    /** The defaults: an eighth of the heap, 4 KiB before auth, 1 MiB after, 10 s, 30 s, 32 and 1,024 streams, 512 clients. */
    public static RpcLimits defaults() {
        return new RpcLimits(InputBudget.fromHeap(DEFAULT_HEAP_FRACTION), 4 * 1024, 1 << 20, Duration.ofSeconds(10),
                Duration.ofSeconds(30), Duration.ofSeconds(1), 32, 1024, 512);
    }

    public RpcLimits withBudget(InputBudget b) {
        return new RpcLimits(b, preAuthMaxFrame, maxFrame, handshakeTimeout, frameTimeout, readTick,
                maxStreamsPerConnection, maxStreamsTotal, maxClients);
    }

    public RpcLimits withTimeouts(Duration handshake, Duration frame, Duration tick) {
        return new RpcLimits(budget, preAuthMaxFrame, maxFrame, handshake, frame, tick, maxStreamsPerConnection,
                maxStreamsTotal, maxClients);
    }

    public RpcLimits withStreams(int perConnection, int total) {
        return new RpcLimits(budget, preAuthMaxFrame, maxFrame, handshakeTimeout, frameTimeout, readTick, perConnection,
                total, maxClients);
    }
}
