package serf.memberlist;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Go's CIDRsAllowed: which addresses may be members (null list = all). */
final class CidrFilter {
    private record Net(byte[] prefix, int bits) {
        boolean contains(byte[] addr) {
            if (addr.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (addr[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (addr[full] & mask) == (prefix[full] & mask);
        }
    }

    private final List<Net> nets;

    private CidrFilter(List<Net> nets) {
        this.nets = nets;
    }

    static CidrFilter parse(List<String> cidrs) {
        if (cidrs == null) {
            return new CidrFilter(null);
        }
        List<Net> nets = new ArrayList<>();
        for (String c : cidrs) {
            int slash = c.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("invalid CIDR " + c);
            }
            try {
                byte[] prefix = InetAddress.getByName(c.substring(0, slash).trim()).getAddress();
                int bits = Integer.parseInt(c.substring(slash + 1).trim());
                if (bits < 0 || bits > prefix.length * 8) {
                    throw new IllegalArgumentException("invalid CIDR " + c);
                }
                nets.add(new Net(prefix, bits));
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("invalid CIDR " + c, e);
            }
        }
        return new CidrFilter(nets);
    }

    boolean allowed(InetAddress addr) {
        if (nets == null) {
            return true;
        }
        byte[] a = addr.getAddress();
        for (Net n : nets) {
            if (n.contains(a)) {
                return true;
            }
        }
        return false;
    }
}
