package serf.client.internal;

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

    /** Go's SplitHostPort plus port parsing (numbers only); the IOException carries Go's text. */
    static HostPort parse(String hostport) throws IOException {
        try {
            String[] hp = GoNet.splitHostPort(hostport);
            String service = hp[1];
            if (!service.isEmpty() && !signedDigits(service)) {
                // Go would consult its service table; we only know numbers.
                throw new GoNet.AddrError("unknown port", "tcp/" + service);
            }
            return new HostPort(hp[0], GoNet.lookupPort(service));
        } catch (GoNet.AddrError e) {
            // With "address " even for an empty one, as this dialer always printed it.
            throw new IOException("dial tcp: address " + e.addr() + ": " + e.reason());
        }
    }

    /** An optional sign and at least one decimal digit. */
    private static boolean signedDigits(String s) {
        int from = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
        if (from == s.length()) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
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
