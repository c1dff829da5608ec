package serf.snapshot;

import java.net.InetSocketAddress;
import java.util.Objects;
import serf.snapshot.internal.GoAddressFormat;

/**
 * A node name with its address text as stored in the snapshot ({@code ip:port} in Go's
 * {@code net.TCPAddr} form, e.g. {@code 127.0.0.1:7946} or {@code [::1]:7946}).
 *
 * <p>Recovered entries are not validated: the address is whatever text followed the last space
 * of an {@code alive:} line, exactly as Go serf would hand it to its rejoin.
 *
 * @param name the member's name
 * @param address its address as {@code ip:port} text (IPv6 in brackets)
 */
public record KnownNode(String name, String address) {

    /** Checks that neither component is null. */
    public KnownNode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
    }

    /**
     * {@return a node whose address is formatted from raw IP bytes (4 or 16) and port, as Go formats it}
     *
     * @param name the member's name
     * @param ip its IP address, 4 or 16 bytes
     * @param port its port
     */
    public static KnownNode of(String name, byte[] ip, int port) {
        checkPort(port);
        return new KnownNode(name, GoAddressFormat.tcpAddress(ip, port));
    }

    /**
     * {@return a node whose address is formatted as Go formats it; an unresolved address keeps its host text}
     *
     * @param name the member's name
     * @param address its address
     */
    public static KnownNode of(String name, InetSocketAddress address) {
        checkPort(address.getPort());
        if (address.isUnresolved()) {
            return new KnownNode(name, GoAddressFormat.joinHostPort(address.getHostString(), address.getPort()));
        }
        return new KnownNode(name, GoAddressFormat.tcpAddress(address.getAddress().getAddress(), address.getPort()));
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** {@return the address Go serf's rejoin hands to memberlist: {@code name/address}, or the address alone if the name is empty} */
    public String joinAddress() {
        return name.isEmpty() ? address : name + "/" + address;
    }

    /** {@code name: address}, the form Go serf logs. */
    @Override
    public String toString() {
        return name + ": " + address;
    }
}
