package serf.memberlist;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One shared instance per distinct node name, address and (small) metadata, for the records of every
 * node table in the process. A cluster's members mostly share their tags, and nodes that run in one
 * JVM (tests, the scale benchmark, a simulator) each hold a record of every member: without sharing,
 * every record carries its own copy of the same name, address and metadata decoded from its own
 * messages. The values are immutable (metadata arrays are never written once held by a record).
 *
 * <p>Bounded: names go to the JVM's string table ({@link String#intern()}, weakly held); addresses and
 * metadata of at most {@link #MAX_META_BYTES} bytes to maps of at most {@link #MAX_ENTRIES} entries
 * each, held for the life of the process; once a map is full, new values are kept unshared.
 */
final class SharedNodeValues {
    static final int MAX_ENTRIES = 4096;
    static final int MAX_META_BYTES = 256;
    static final byte[] EMPTY = new byte[0];

    private static final ConcurrentHashMap<InetAddress, InetAddress> ADDRESSES = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<MetaKey, byte[]> METAS = new ConcurrentHashMap<>();

    private SharedNodeValues() {
    }

    /** Equality of metadata by content. */
    private record MetaKey(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof MetaKey k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    static String name(String name) {
        return name == null ? null : name.intern();
    }

    /** The shared instance equal to {@code addr}; only addresses that hold no host name are shared. */
    static InetAddress address(InetAddress addr) {
        if (addr == null || !addr.toString().startsWith("/")) {
            return addr;
        }
        InetAddress shared = ADDRESSES.get(addr);
        if (shared != null) {
            return shared;
        }
        if (ADDRESSES.size() >= MAX_ENTRIES) {
            return addr;
        }
        shared = ADDRESSES.putIfAbsent(addr, addr);
        return shared == null ? addr : shared;
    }

    /** The shared copy of {@code meta} (the empty array for null or empty); the caller no longer writes it. */
    static byte[] meta(byte[] meta) {
        if (meta == null || meta.length == 0) {
            return EMPTY;
        }
        if (meta.length > MAX_META_BYTES) {
            return meta;
        }
        MetaKey key = new MetaKey(meta);
        byte[] shared = METAS.get(key);
        if (shared != null) {
            return shared;
        }
        if (METAS.size() >= MAX_ENTRIES) {
            return meta;
        }
        shared = METAS.putIfAbsent(key, meta);
        return shared == null ? meta : shared;
    }
}
