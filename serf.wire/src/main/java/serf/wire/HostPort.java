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

    /**
     * {@code 10.0.0.1:7946}, {@code [::1]:7946}.
     *
     * @param host a host name or IP address text
     * @param port the port
     * @return {@code host:port}, with an IPv6 address in brackets
     */
    public static String of(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * {@return the address's literal (never a name lookup) and the port}
     *
     * @param address the IP address
     * @param port the port
     */
    public static String of(InetAddress address, int port) {
        return of(address.getHostAddress(), port);
    }

    /**
     * {@return the socket address's literal and port; an unresolved one by its host name}
     *
     * @param address the address (its IP, or its host name when unresolved)
     */
    public static String of(InetSocketAddress address) {
        InetAddress a = address.getAddress();
        return a == null ? of(address.getHostString(), address.getPort()) : of(a, address.getPort());
    }
}
