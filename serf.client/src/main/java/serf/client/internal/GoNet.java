package serf.client.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Go's text forms of IP addresses ({@code net.IP.String}, {@code net.TCPAddr.String}) and its
 * parsing of {@code host:port} ({@code net.SplitHostPort}, {@code net.LookupPort}), shared by the
 * agent's address settings and the RPC client's dialer.
 */
public final class GoNet {
    /** The reason {@link #splitHostPort} gives when there is no port (the Go agent tests for this text). */
    public static final String MISSING_PORT = "missing port in address";

    private GoNet() {
    }

    /** Go's {@code *net.AddrError}: a reason about an address (which may be empty). */
    public static final class AddrError extends Exception {
        private static final long serialVersionUID = 1L;
        private final String reason;
        private final String addr;

        public AddrError(String reason, String addr) {
            // The message is Go's Error(): the address is left out when empty.
            super(addr.isEmpty() ? reason : "address " + addr + ": " + reason, null, false, false);
            this.reason = reason;
            this.addr = addr;
        }

        public String reason() {
            return reason;
        }

        public String addr() {
            return addr;
        }
    }

    /** Go's {@code net.SplitHostPort}: {@code {host, port}}, IPv6 hosts without their brackets. */
    public static String[] splitHostPort(String hostport) throws AddrError {
        int i = hostport.lastIndexOf(':');
        if (i < 0) {
            throw new AddrError(MISSING_PORT, hostport);
        }
        String host;
        int j = 0;
        int k = 0;
        if (hostport.charAt(0) == '[') {
            int end = hostport.indexOf(']');
            if (end < 0) {
                throw new AddrError("missing ']' in address", hostport);
            }
            if (end + 1 == hostport.length()) {
                throw new AddrError(MISSING_PORT, hostport);
            } else if (end + 1 != i) {
                if (hostport.charAt(end + 1) == ':') {
                    throw new AddrError("too many colons in address", hostport);
                }
                throw new AddrError(MISSING_PORT, hostport);
            }
            host = hostport.substring(1, end);
            j = 1;
            k = end + 1;
        } else {
            host = hostport.substring(0, i);
            if (host.indexOf(':') >= 0) {
                throw new AddrError("too many colons in address", hostport);
            }
        }
        if (hostport.indexOf('[', j) >= 0) {
            throw new AddrError("unexpected '[' in address", hostport);
        }
        if (hostport.indexOf(']', k) >= 0) {
            throw new AddrError("unexpected ']' in address", hostport);
        }
        return new String[] {host, hostport.substring(i + 1)};
    }

    /**
     * Go's {@code LookupPort("tcp", service)}: a decimal number (with Go's {@code parsePort}
     * clamping), else a service name from {@code /etc/services}.
     */
    public static int lookupPort(String service) throws AddrError {
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
            throw new AddrError("invalid port", service);
        }
        return (int) port;
    }

    /** A named service from /etc/services (tcp), as Go's resolver reads it. */
    private static int servicePort(String service) throws AddrError {
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
        throw new AddrError("unknown port", "tcp/" + service);
    }

    /**
     * {@code net.IP.String()}: dotted quad for 4-byte and IPv4-mapped 16-byte addresses, RFC 5952
     * IPv6 otherwise, {@code <nil>} for an empty one and {@code ?} + hex for any other length.
     */
    public static String ipString(byte[] ip) {
        if (ip == null || ip.length == 0) {
            return "<nil>";
        }
        if (ip.length == 4) {
            return dotted(ip, 0);
        }
        if (ip.length != 16) {
            return "?" + HexFormat.of().formatHex(ip);
        }
        boolean mapped = true;
        for (int i = 0; i < 10 && mapped; i++) {
            mapped = ip[i] == 0;
        }
        if (mapped && (ip[10] & 0xff) == 0xff && (ip[11] & 0xff) == 0xff) {
            return dotted(ip, 12);
        }
        // Longest run of two or more zero groups becomes "::" (the first such run on a tie).
        int best = -1;
        int bestLen = 0;
        for (int g = 0; g < 8; ) {
            int run = g;
            while (run < 8 && ip[2 * run] == 0 && ip[2 * run + 1] == 0) {
                run++;
            }
            if (run - g > bestLen && run - g >= 2) {
                best = g;
                bestLen = run - g;
            }
            g = run == g ? g + 1 : run;
        }
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g < 8; g++) {
            if (g == best) {
                sb.append("::");
                g += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            int v = ((ip[2 * g] & 0xff) << 8) | (ip[2 * g + 1] & 0xff);
            sb.append(Integer.toHexString(v));
        }
        return sb.toString();
    }

    /** {@code net.TCPAddr{IP, Port}.String()}: host (bracketed if it has a colon), colon, port. */
    public static String tcpAddrString(byte[] ip, int port) {
        String host = ip == null || ip.length == 0 ? "" : ipString(ip);
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return host + ":" + port;
    }

    private static String dotted(byte[] ip, int off) {
        return (ip[off] & 0xff) + "." + (ip[off + 1] & 0xff) + "." + (ip[off + 2] & 0xff) + "." + (ip[off + 3] & 0xff);
    }
}
