package serf.memberlist.transport;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Failed binds and dials of {@link NetTransport} rewritten with the texts Go's memberlist and net
 * package give them, so that errors and logs read as the Go agent's do.
 */
final class GoSocketErrors {
    private GoSocketErrors() {
    }

    /**
     * A failed bind with Go's NetTransport text: {@code Failed to start TCP listener on "127.0.0.1" port
     * 7946: listen tcp 127.0.0.1:7946: bind: address already in use}.
     */
    static BindException bindError(String proto, InetAddress addr, int port, BindException e) {
        String host = addr.getHostAddress();
        String hostPort = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        String why = e.getMessage() == null ? "address already in use" : e.getMessage().replaceAll(" \\(.*\\)$", "");
        why = why.isEmpty() ? why : Character.toLowerCase(why.charAt(0)) + why.substring(1);
        BindException mapped = new BindException("Failed to start " + proto + " listener on \"" + host + "\" port " + port
                + ": listen " + proto.toLowerCase(java.util.Locale.ROOT) + " " + hostPort + ": bind: " + why);
        mapped.initCause(e);
        return mapped;
    }

    /** A failed connect with Go's net.Dial text: {@code dial tcp 127.0.0.1:1: connect: connection refused}. */
    static IOException dialError(InetSocketAddress to, IOException e) {
        String host = to.getAddress().getHostAddress();
        String hp = "dial tcp " + (host.contains(":") ? "[" + host + "]" : host) + ":" + to.getPort() + ": ";
        IOException mapped;
        if (e instanceof java.net.SocketTimeoutException) {
            mapped = new java.net.SocketTimeoutException(hp + "i/o timeout");
        } else if (e instanceof java.net.ConnectException) {
            mapped = new java.net.ConnectException(hp + "connect: connection refused");
        } else if (e instanceof java.net.NoRouteToHostException) {
            mapped = new java.net.NoRouteToHostException(hp + "connect: no route to host");
        } else {
            return e;
        }
        mapped.initCause(e);
        return mapped;
    }
}
