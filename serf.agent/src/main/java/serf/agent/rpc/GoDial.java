package serf.agent.rpc;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import serf.agent.internal.GoNet;

/**
 * Dials a {@code host:port} the way Go's {@code net.DialTimeout("tcp", addr, timeout)} parses it,
 * and reports failures with Go's error texts (the CLI prints them after
 * {@code Error connecting to Serf agent: }), e.g.
 * {@code dial tcp 127.0.0.1:1: connect: connection refused} or
 * {@code dial tcp: address foo: missing port in address}.
 */
final class GoDial {
    private GoDial() {
    }

    record HostPort(String host, int port) {
    }

    /** Go's SplitHostPort plus port parsing; the IOException carries Go's text. */
    static HostPort parse(String hostport) throws IOException {
        String host;
        int j = 0;
        int k = 0;
        int i = hostport.lastIndexOf(':');
        if (i < 0) {
            throw addrError(hostport, "missing port in address");
        }
        if (hostport.startsWith("[")) {
            int end = hostport.indexOf(']');
            if (end < 0) {
                throw addrError(hostport, "missing ']' in address");
            }
            if (end + 1 == hostport.length()) {
                throw addrError(hostport, "missing port in address");
            } else if (end + 1 != i) {
                if (hostport.charAt(end + 1) == ':') {
                    throw addrError(hostport, "too many colons in address");
                }
                throw addrError(hostport, "missing port in address");
            }
            host = hostport.substring(1, end);
            j = 1;
            k = end + 1;
        } else {
            host = hostport.substring(0, i);
            if (host.indexOf(':') >= 0) {
                throw addrError(hostport, "too many colons in address");
            }
        }
        if (hostport.indexOf('[', j) >= 0) {
            throw addrError(hostport, "unexpected '[' in address");
        }
        if (hostport.indexOf(']', k) >= 0) {
            throw addrError(hostport, "unexpected ']' in address");
        }
        return new HostPort(host, parsePort(hostport.substring(i + 1)));
    }

    private static int parsePort(String service) throws IOException {
        if (service.isEmpty()) {
            return 0;
        }
        String digits = service;
        boolean neg = false;
        if (digits.charAt(0) == '+' || digits.charAt(0) == '-') {
            neg = digits.charAt(0) == '-';
            digits = digits.substring(1);
        }
        long n = 0;
        boolean numeric = !digits.isEmpty();
        for (int p = 0; p < digits.length() && numeric; p++) {
            char c = digits.charAt(p);
            if (c < '0' || c > '9') {
                numeric = false;
            } else if (n < (1 << 30)) {
                n = n * 10 + (c - '0');
            }
        }
        if (!numeric) {
            // Go would consult its service table; we only know numbers.
            throw new IOException("dial tcp: address tcp/" + service + ": unknown port");
        }
        if (neg) {
            n = -n;
        }
        if (n < 0 || n > 0xffff) {
            throw addrError(service, "invalid port");
        }
        return (int) n;
    }

    private static IOException addrError(String addr, String why) {
        return new IOException("dial tcp: address " + addr + ": " + why);
    }

    static Socket dial(String addr, Duration timeout) throws IOException {
        HostPort hp = parse(addr);
        InetAddress ip;
        try {
            ip = hp.host().isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(hp.host());
        } catch (UnknownHostException e) {
            throw new IOException("dial tcp: lookup " + hp.host() + ": no such host", e);
        }
        String shown = (hp.host().isEmpty() ? "" : joinHostPort(ip)) + ":" + hp.port();
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(ip, hp.port()), (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis())));
            s.setTcpNoDelay(true);
            return s;
        } catch (IOException e) {
            s.close();
            throw new IOException("dial tcp " + shown + ": " + goReason(e), e);
        }
    }

    private static String joinHostPort(InetAddress ip) {
        String h = ip.getHostAddress();
        int zone = h.indexOf('%');
        if (zone >= 0) {
            h = h.substring(0, zone);
        }
        if (ip instanceof Inet6Address) {
            return "[" + GoNet.ipString(ip.getAddress()) + "]";
        }
        return h;
    }

    private static String goReason(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "i/o timeout";
        }
        if (e instanceof NoRouteToHostException) {
            return "connect: no route to host";
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ConnectException && msg.toLowerCase(Locale.ROOT).startsWith("connection refused")) {
            return "connect: connection refused";
        }
        return "connect: " + msg.toLowerCase(Locale.ROOT);
    }
}
