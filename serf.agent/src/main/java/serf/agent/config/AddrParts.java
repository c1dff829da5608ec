package serf.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

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
        try {
            hp = splitHostPort(address);
        } catch (MissingPort e) {
            try {
                hp = splitHostPort(address + ":" + AgentConfig.DEFAULT_BIND_PORT);
            } catch (MissingPort again) {
                // Go appends the port again and again and never returns (e.g. "[::1]x:5"); refuse instead
                throw addrError(address, "missing port in address");
            }
        }
        int port = lookupPort(hp[1]);
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
        return new AddrParts(ipString(ip), port);
    }

    /** {@code net.TCPAddr.String()}: {@code ip:port}, IPv6 in brackets. */
    public String hostPort() {
        return ip.contains(":") ? "[" + ip + "]:" + port : ip + ":" + port;
    }

    private static final class MissingPort extends Exception {
        private static final long serialVersionUID = 1L;

        MissingPort() {
            super(null, null, false, false);
        }
    }

    private static IllegalArgumentException addrError(String addr, String why) {
        return new IllegalArgumentException(addr.isEmpty() ? why : "address " + addr + ": " + why);
    }

    /** Go's {@code net.SplitHostPort}. */
    static String[] splitHostPort(String hostport) throws MissingPort {
        int i = hostport.lastIndexOf(':');
        if (i < 0) {
            throw new MissingPort();
        }
        String host;
        int j = 0;
        int k = 0;
        if (hostport.charAt(0) == '[') {
            int end = hostport.indexOf(']');
            if (end < 0) {
                throw addrError(hostport, "missing ']' in address");
            }
            if (end + 1 == hostport.length()) {
                throw new MissingPort();
            } else if (end + 1 != i) {
                if (hostport.charAt(end + 1) == ':') {
                    throw addrError(hostport, "too many colons in address");
                }
                throw new MissingPort();
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
        return new String[] {host, hostport.substring(i + 1)};
    }

    /** Go's {@code LookupPort("tcp", service)}. */
    static int lookupPort(String service) {
        if (service.isEmpty()) {
            return 0;
        }
        String s = service;
        boolean neg = false;
        if (s.charAt(0) == '+') {
            s = s.substring(1);
        } else if (s.charAt(0) == '-') {
            neg = true;
            s = s.substring(1);
        }
        final long max = 0xFFFF_FFFFL;
        final long cutoff = 1L << 30;
        long n = 0;
        for (int x = 0; x < s.length(); x++) {
            char d = s.charAt(x);
            if (d < '0' || d > '9') {
                return servicePort(service);
            }
            if (n >= cutoff) {
                n = max;
                break;
            }
            n = (n * 10) & max; // Go computes in uint32, which wraps
            long nn = (n + (d - '0')) & max;
            if (nn < n) {
                n = max;
                break;
            }
            n = nn;
        }
        long port;
        if (!neg && n >= cutoff) {
            port = cutoff - 1;
        } else if (neg && n > cutoff) {
            port = cutoff;
        } else {
            port = n;
        }
        if (neg) {
            port = -port;
        }
        if (port < 0 || port > 65535) {
            throw addrError(service, "invalid port");
        }
        return (int) port;
    }

    /** A named service from /etc/services (tcp), as Go's resolver reads it. */
    private static int servicePort(String service) {
        Path services = Path.of("/etc/services");
        if (Files.isReadable(services)) {
            try (InputStream in = Files.newInputStream(services)) {
                String text = new String(in.readNBytes(4 * 1024 * 1024), StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    int hash = line.indexOf('#');
                    if (hash >= 0) {
                        line = line.substring(0, hash);
                    }
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 2) {
                        continue;
                    }
                    int slash = f[1].indexOf('/');
                    if (slash < 0 || !f[1].substring(slash + 1).equals("tcp")) {
                        continue;
                    }
                    int port;
                    try {
                        port = Integer.parseInt(f[1].substring(0, slash));
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    for (int a = 0; a < f.length; a++) {
                        if (a != 1 && f[a].equalsIgnoreCase(service)) {
                            return port;
                        }
                    }
                }
            } catch (IOException e) {
                // fall through: unknown
            }
        }
        throw addrError("tcp/" + service, "unknown port");
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

    /** Go's {@code net.IP.String()} for a resolved address. */
    static String ipString(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.getHostAddress();
        }
        byte[] ip = a.getAddress();
        if (a instanceof Inet6Address) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= ip[i] == 0;
            }
            if (mapped && (ip[10] & 0xFF) == 0xFF && (ip[11] & 0xFF) == 0xFF) {
                return (ip[12] & 0xFF) + "." + (ip[13] & 0xFF) + "." + (ip[14] & 0xFF) + "." + (ip[15] & 0xFF);
            }
        }
        return ipv6String(ip);
    }

    /** RFC 5952 text as Go prints it: longest run (of 2+) of zero groups as {@code ::}, lower-case hex. */
    static String ipv6String(byte[] ip) {
        int bestStart = -1;
        int bestLen = 0;
        for (int g = 0; g < 8; g++) {
            int run = 0;
            while (g + run < 8 && ip[2 * (g + run)] == 0 && ip[2 * (g + run) + 1] == 0) {
                run++;
            }
            if (run >= 2 && run > bestLen) {
                bestStart = g;
                bestLen = run;
            }
            if (run > 0) {
                g += run - 1;
            }
        }
        StringBuilder b = new StringBuilder();
        for (int g = 0; g < 8; g++) {
            if (g == bestStart) {
                b.append("::");
                g += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(((ip[2 * g] & 0xFF) << 8) | (ip[2 * g + 1] & 0xFF)));
        }
        return b.toString();
    }
}
