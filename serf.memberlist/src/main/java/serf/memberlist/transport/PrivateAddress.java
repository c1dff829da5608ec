package serf.memberlist.transport;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks the address to advertise when bound to a wildcard, in the spirit of go-sockaddr's
 * {@code GetPrivateIP}: the first private, forwardable IPv4 address of an interface that is up.
 *
 * <p>Differences from Go, on purpose: Java cannot see the routing table, so interfaces are taken in
 * index order instead of "default-route interface first"; and where Go fails with "No private IP
 * address found", the caller here falls back to the loopback address so a single-host node still
 * starts (an operator on a public-IP host should set an advertise address, as with Go).
 */
final class PrivateAddress {

    private PrivateAddress() {
    }

    /** The first private IPv4 address of an up, non-loopback interface, if any. */
    static Optional<InetAddress> firstPrivateIPv4() {
        List<NetworkInterface> interfaces = new ArrayList<>();
        try {
            NetworkInterface.networkInterfaces().forEach(interfaces::add);
        } catch (SocketException e) {
            return Optional.empty();
        }
        interfaces.sort(Comparator.comparingInt(NetworkInterface::getIndex));
        for (NetworkInterface nic : interfaces) {
            try {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
            } catch (SocketException e) {
                continue;
            }
            Optional<InetAddress> found = nic.inetAddresses()
                    .filter(a -> a instanceof Inet4Address && isPrivateForwardable(a.getAddress()))
                    .findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * The forwardable private IPv4 blocks of RFC 6890: 10/8, 100.64/10 (shared address space),
     * 172.16/12, 192.168/16 and 198.18/15 (benchmarking). Loopback and link-local are not forwardable.
     */
    static boolean isPrivateForwardable(byte[] ipv4) {
        if (ipv4.length != 4) {
            return false;
        }
        int a = ipv4[0] & 0xff;
        int b = ipv4[1] & 0xff;
        return a == 10
                || (a == 100 && b >= 64 && b <= 127)
                || (a == 172 && b >= 16 && b <= 31)
                || (a == 192 && b == 168)
                || (a == 198 && (b == 18 || b == 19));
    }
}
