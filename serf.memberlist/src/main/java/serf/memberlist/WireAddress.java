package serf.memberlist;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Addresses as memberlist's messages carry them: 4 or 16 raw bytes. */
final class WireAddress {
    private WireAddress() {
    }

    /** The address of 4 or 16 bytes, or null for anything else. */
    static InetAddress of(byte[] addr) {
        if (addr == null || (addr.length != 4 && addr.length != 16)) {
            return null;
        }
        try {
            return InetAddress.getByAddress(addr);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
