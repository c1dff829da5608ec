package serf.agent.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.function.Function;
import serf.client.internal.GoNet;

/**
 * An agent address split into IP text and port the way the Go agent's {@code AddrParts} does:
 * {@code host[:port]} with port 7946 added when missing, IPv6 in brackets, the port resolved like
 * {@code net.ResolveTCPAddr} (decimal, or a service name from {@code /etc/services}), the host an IP
 * literal or a name resolved to its first address (IPv4 preferred). Errors carry Go's texts
 * ({@code address 99999: invalid port}, {@code address ::1: too many colons in address}).
 *
 * <p>One deliberate difference: where Go loops forever (an address such as {@code [::1]x:5}, which still
 * lacks a port after the default one is appended), this refuses it with {@code missing port in address}.
 *
 * @param ip   the IP in Go's text form ({@code 0.0.0.0}, {@code ::1})
 * @param port the port, 0..65535
 */
public record AddrParts(String ip, int port) {

    public AddrParts {
        Objects.requireNonNull(ip, "ip");
    }

    /** Splits and resolves {@code address}; host names are resolved with the system resolver. */
    public static AddrParts parse(String address) {
        return parse(address, AddrParts::resolve);
    }

    /**
     * As {@link #parse(String)} with a custom resolver for host names that are not IP literals.
     *
     * @throws IllegalArgumentException with Go's error text
     */
    public static AddrParts parse(String address, Function<String, InetAddress> resolver) {
        String[] hp;
        int port;
        try {
            hp = splitAddingPort(address);
            port = GoNet.lookupPort(hp[1]);
        } catch (GoNet.AddrError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        String host = hp[0];
        if (host.isEmpty()) {
            return new AddrParts("<nil>", port); // Go's nil IP prints as <nil>
        }
        String literal = host;
        int zone = literal.indexOf('%');
        if (zone >= 0 && literal.contains(":")) {
            literal = literal.substring(0, zone);
        }
        InetAddress ip = ipLiteral(literal);
        if (ip == null) {
            ip = resolver.apply(host);
        }
        return new AddrParts(GoNet.ipString(ip.getAddress()), port);
    }

    /** {@code net.SplitHostPort}, appending the default port once if there is none (as the Go agent does). */
    private static String[] splitAddingPort(String address) throws GoNet.AddrError {
        try {
            return GoNet.splitHostPort(address);
        } catch (GoNet.AddrError e) {
            if (!e.reason().equals(GoNet.MISSING_PORT)) {
                throw e;
            }
        }
        try {
            return GoNet.splitHostPort(address + ":" + AgentConfig.DEFAULT_BIND_PORT);
        } catch (GoNet.AddrError e) {
            if (!e.reason().equals(GoNet.MISSING_PORT)) {
                throw e;
            }
            // Go appends the port again and again and never returns (e.g. "[::1]x:5"); refuse instead
            throw new GoNet.AddrError(GoNet.MISSING_PORT, address);
        }
    }

    /** {@code net.TCPAddr.String()}: {@code ip:port}, IPv6 in brackets. */
    public String hostPort() {
        return serf.wire.HostPort.of(ip, port);
    }

    /** An IPv4 or IPv6 literal in Go's accepted syntax, or null. */
    static InetAddress ipLiteral(String s) {
        if (s.isEmpty()) {
            return null;
        }
        boolean v4 = s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        boolean v6 = !v4 && s.indexOf(':') >= 0
                && s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0 && c < 0x80);
        if (v4) {
            String[] parts = s.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                String p = parts[i];
                if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
                    return null; // Go refuses leading zeros
                }
                int v = Integer.parseInt(p);
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return byAddress(b);
        }
        if (v6) {
            try {
                return InetAddress.getByName(s); // a literal: no lookup happens
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    private static InetAddress byAddress(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress resolve(String host) {
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (a instanceof Inet4Address) {
                    return a;
                }
            }
            return all[0];
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("lookup " + host + ": no such host");
        }
    }
}
