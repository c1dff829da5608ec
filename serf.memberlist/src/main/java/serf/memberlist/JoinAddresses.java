package serf.memberlist;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** The addresses of a join target, {@code [name/]host[:port]} (Go's resolveAddr, without DNS TCP lookups). */
final class JoinAddresses {
    private JoinAddresses() {
    }

    /** Every address {@code spec}'s host resolves to, with its port or {@code defaultPort}. */
    static List<InetSocketAddress> resolve(String spec, int defaultPort) throws IOException {
        String hostPort = spec;
        int slash = spec.indexOf('/');
        if (slash >= 0) {
            if (slash == 0) {
                throw new IllegalArgumentException("empty node name provided");
            }
            hostPort = spec.substring(slash + 1);
        }
        String host = hostPort;
        int port = defaultPort;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in address " + hostPort);
            }
            host = hostPort.substring(1, close);
            if (hostPort.length() > close + 1) {
                if (hostPort.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("bad address " + hostPort);
                }
                port = parsePort(hostPort.substring(close + 2));
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0 && hostPort.indexOf(':') == colon) {
                host = hostPort.substring(0, colon);
                port = parsePort(hostPort.substring(colon + 1));
            }
        }
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                out.add(new InetSocketAddress(a, port));
            }
        } catch (UnknownHostException e) {
            throw new IOException("no such host " + host, e);
        }
        return out;
    }

    private static int parsePort(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("invalid port " + s);
            }
            return p;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port " + s, e);
        }
    }

}
