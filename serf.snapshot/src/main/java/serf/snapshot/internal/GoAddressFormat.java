package serf.snapshot.internal;

/**
 * Formats an IP address and port exactly as Go's {@code net.TCPAddr.String()} does, since the
 * snapshot stores that text and Go agents compare it byte for byte when they rejoin.
 */
public final class GoAddressFormat {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoAddressFormat() {
    }

    /**
     * {@code ip:port}: IPv4 (and IPv4-mapped IPv6) dotted, other IPv6 in Go's compressed form
     * inside brackets, an empty or null IP as {@code :port}; IPs of another length as Go prints
     * them ({@code ?} + hex).
     */
    public static String tcpAddress(byte[] ip, int port) {
        String host = (ip == null || ip.length == 0) ? "" : ipString(ip);
        return joinHostPort(host, port);
    }

    /** Go's {@code net.JoinHostPort}: brackets around hosts that contain a colon. */
    public static String joinHostPort(String host, int port) {
        if (host.indexOf(':') >= 0) {
            return "[" + host + "]:" + port;
        }
        return host + ":" + port;
    }

    /** Go's {@code net.IP.String()} for a non-empty IP. */
    public static String ipString(byte[] ip) {
        if (ip.length == 4) {
            return dotted(ip, 0);
        }
        if (ip.length != 16) {
            StringBuilder sb = new StringBuilder(1 + 2 * ip.length).append('?');
            for (byte b : ip) {
                sb.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            }
            return sb.toString();
        }
        if (isIpv4Mapped(ip)) {
            return dotted(ip, 12);
        }
        // Longest run of zero 16-bit groups (first one wins a tie); "::" never replaces a single group.
        int bestStart = -1;
        int bestEnd = -1;
        for (int i = 0; i < 16; i += 2) {
            int j = i;
            while (j < 16 && ip[j] == 0 && ip[j + 1] == 0) {
                j += 2;
            }
            if (j > i && j - i > bestEnd - bestStart) {
                bestStart = i;
                bestEnd = j;
                i = j;
            }
        }
        if (bestEnd - bestStart <= 2) {
            bestStart = -1;
            bestEnd = -1;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 16; i += 2) {
            if (i == bestStart) {
                sb.append("::");
                i = bestEnd;
                if (i >= 16) {
                    break;
                }
            } else if (i > 0) {
                sb.append(':');
            }
            int group = ((ip[i] & 0xff) << 8) | (ip[i + 1] & 0xff);
            sb.append(Integer.toHexString(group));
        }
        return sb.toString();
    }

    private static boolean isIpv4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }

    private static String dotted(byte[] ip, int from) {
        return (ip[from] & 0xff) + "." + (ip[from + 1] & 0xff) + "." + (ip[from + 2] & 0xff) + "." + (ip[from + 3] & 0xff);
    }
}
