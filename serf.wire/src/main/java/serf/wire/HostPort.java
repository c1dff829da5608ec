package serf.wire;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * {@code host:port} as Go's {@code net.JoinHostPort} writes it: an IPv6 literal in brackets. One
 * place for every module's logs, join addresses and error texts.
 */
public final class HostPort {
    private HostPort() {
    }

    /** {@code 10.0.0.1:7946}, {@code [::1]:7946}. */
    public static String of(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The address's literal (never a name lookup) and the port. */
    public static String of(InetAddress address, int port) {
        return of(address.getHostAddress(), port);
    }

    /** The socket address's literal and port; an unresolved one by its host name. */
    public static String of(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        return a == null ? of(address.getHostString(), address.getPort()) : of(a, address.getPort());
    }
}
