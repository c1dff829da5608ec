package serf.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A cluster member as the agent reports it ({@code members}, {@code members-filtered} and member
 * events of a {@link SerfClient#stream stream}).
 *
 * @param name        the node name
 * @param addr        the raw IP address: 4 bytes for IPv4, 16 for IPv6, as the agent sent it; null
 *                    when the agent sent none. {@link #address()} gives it as an {@link InetAddress}
 * @param port        the member's gossip port
 * @param tags        the member's tags in the order the agent sent them; null only when the agent
 *                    sent no map at all (agents send an empty map for a member without tags)
 * @param status      {@code alive}, {@code leaving}, {@code left}, {@code failed} (or another word a
 *                    newer agent sends)
 * @param protocolMin the lowest memberlist protocol version the member speaks
 * @param protocolMax the highest memberlist protocol version the member speaks
 * @param protocolCur the memberlist protocol version the member uses
 * @param delegateMin the lowest Serf protocol version the member speaks
 * @param delegateMax the highest Serf protocol version the member speaks
 * @param delegateCur the Serf protocol version the member uses
 */
public record Member(String name, byte[] addr, int port, Map<String, String> tags, String status,
                     int protocolMin, int protocolMax, int protocolCur,
                     int delegateMin, int delegateMax, int delegateCur) {

    /**
     * Copies the address and the tags; null strings become empty.
     */
    public Member {
        name = name == null ? "" : name;
        status = status == null ? "" : status;
        tags = tags == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        addr = addr == null ? null : addr.clone();
    }

    /**
     * The raw address bytes (a copy).
     *
     * @return the address as sent, or null when the agent sent none
     */
    @Override
    public byte[] addr() {
        return addr == null ? null : addr.clone();
    }

    /**
     * The address as an {@link InetAddress}.
     *
     * @return the address, or empty when the agent sent none or one of neither 4 nor 16 bytes
     */
    public Optional<InetAddress> address() {
        if (addr == null || (addr.length != 4 && addr.length != 16)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(addr));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * The tags, never null.
     *
     * @return the tags, or an empty map when the agent sent none
     */
    public Map<String, String> tagsOrEmpty() {
        return tags == null ? Map.of() : tags;
    }

    /**
     * Equal when every field is, the address compared by content.
     *
     * @param o the other object
     * @return true when {@code o} is an equal member
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Member m && name.equals(m.name) && Arrays.equals(addr, m.addr) && port == m.port
                && Objects.equals(tags, m.tags) && status.equals(m.status)
                && protocolMin == m.protocolMin && protocolMax == m.protocolMax && protocolCur == m.protocolCur
                && delegateMin == m.delegateMin && delegateMax == m.delegateMax && delegateCur == m.delegateCur;
    }

    /**
     * A hash over every field, the address by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(addr), port, tags, status, protocolMin, protocolMax, protocolCur,
                delegateMin, delegateMax, delegateCur);
    }

    /**
     * A one-line description for logs and test failures.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "Member[" + name + " " + (addr == null ? "nil" : HexFormat.of().formatHex(addr)) + ":" + port + " "
                + status + " tags=" + tags + " protocol=" + protocolMin + "/" + protocolMax + "/" + protocolCur
                + " delegate=" + delegateMin + "/" + delegateMax + "/" + delegateCur + "]";
    }
}
