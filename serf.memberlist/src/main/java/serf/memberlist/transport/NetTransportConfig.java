package serf.memberlist.transport;

import java.net.InetAddress;
import java.util.Objects;

/**
 * How a {@link NetTransport} binds and what it advertises.
 *
 * @param bindAddress       the local address for both UDP and TCP; a wildcard listens on every
 *                          interface: {@code 0.0.0.0} on IPv4 only, {@code ::} on IPv6 and (where the
 *                          system allows dual-stack sockets, as Linux does by default) IPv4 too
 * @param bindPort          the port for both UDP and TCP; {@code 0} lets the system pick a free TCP
 *                          port, which UDP then binds too (retrying with a new port a few times when
 *                          that UDP port is taken, as Go memberlist does)
 * @param advertiseAddress  the address other nodes should use, or {@code null} to derive it: the bind
 *                          address, or for a wildcard bind the host's first private IPv4 address
 *                          (falling back to loopback; see {@link NetTransport#advertiseAddress()})
 * @param advertisePort     the port other nodes should use, or {@code 0} for the bound port
 * @param maxInboundStreams how many accepted streams may be served at once; connections beyond that are
 *                          closed at once. memberlist itself refuses a 128th concurrent push/pull as Go
 *                          does; this bound sits above it so TCP pings still get through, and only stops
 *                          a connection flood from creating unbounded threads
 * @param logger            where operator messages go
 * @param loopThreads       what kind of thread reads datagrams and accepts connections (one each);
 *                          the connections themselves are always served on virtual threads. Default
 *                          {@link LoopThreads#VIRTUAL}; see {@link LoopThreads} for when to choose platform threads
 */
public record NetTransportConfig(
        InetAddress bindAddress,
        int bindPort,
        InetAddress advertiseAddress,
        int advertisePort,
        int maxInboundStreams,
        System.Logger logger,
        LoopThreads loopThreads) {

    /** Default for {@link #maxInboundStreams()}: twice memberlist's limit of 127 push/pulls in flight. */
    public static final int DEFAULT_MAX_INBOUND_STREAMS = 256;

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException when a port or the stream limit is out of range
     */
    public NetTransportConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(logger, "logger");
        Objects.requireNonNull(loopThreads, "loopThreads");
        if (bindPort < 0 || bindPort > 65535) {
            throw new IllegalArgumentException("bindPort out of range: " + bindPort);
        }
        if (advertisePort < 0 || advertisePort > 65535) {
            throw new IllegalArgumentException("advertisePort out of range: " + advertisePort);
        }
        if (maxInboundStreams < 1) {
            throw new IllegalArgumentException("maxInboundStreams must be positive: " + maxInboundStreams);
        }
    }

    /**
     * Binds {@code bindAddress:bindPort}, advertises what it bound, default limits, logger and
     * (virtual) loop threads.
     *
     * @param bindAddress the address to bind; the wildcard address binds all interfaces
     * @param bindPort the port, 0 for a free one
     * @return a configuration with the default limits
     */
    public static NetTransportConfig of(InetAddress bindAddress, int bindPort) {
        return new NetTransportConfig(bindAddress, bindPort, null, 0, DEFAULT_MAX_INBOUND_STREAMS,
                System.getLogger(NetTransport.class.getName()), LoopThreads.VIRTUAL);
    }

    /**
     * Binds a free port on the loopback address: for tests and single-host clusters.
     *
     * @return a configuration on 127.0.0.1 and a free port
     */
    public static NetTransportConfig loopback() {
        return of(InetAddress.getLoopbackAddress(), 0);
    }

    /**
     * {@return a copy that advertises another address and port}
     *
     * @param address the address to advertise, or null to derive it
     * @param port the port to advertise, or 0 for the bound port
     */
    public NetTransportConfig withAdvertise(InetAddress address, int port) {
        return new NetTransportConfig(bindAddress, bindPort, address, port, maxInboundStreams, logger, loopThreads);
    }

    /**
     * {@return a copy with another stream limit}
     *
     * @param max how many accepted streams may be served at once
     */
    public NetTransportConfig withMaxInboundStreams(int max) {
        return new NetTransportConfig(bindAddress, bindPort, advertiseAddress, advertisePort, max, logger, loopThreads);
    }

    /**
     * {@return a copy with another logger}
     *
     * @param newLogger where operator messages go
     */
    public NetTransportConfig withLogger(System.Logger newLogger) {
        return new NetTransportConfig(bindAddress, bindPort, advertiseAddress, advertisePort,
                maxInboundStreams, newLogger, loopThreads);
    }

    /**
     * {@return a copy whose datagram reader and connection acceptor run on threads of another kind}
     *
     * @param kind {@link LoopThreads#PLATFORM} for one node per process (an agent), else the default
     *             {@link LoopThreads#VIRTUAL}
     */
    public NetTransportConfig withLoopThreads(LoopThreads kind) {
        return new NetTransportConfig(bindAddress, bindPort, advertiseAddress, advertisePort,
                maxInboundStreams, logger, kind);
    }
}
