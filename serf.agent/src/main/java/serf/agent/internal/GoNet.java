package serf.agent.internal;

import java.util.HexFormat;

/** Go's text forms of IP addresses ({@code net.IP.String}, {@code net.TCPAddr.String}). */
public final class GoNet {
    private GoNet() {
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
