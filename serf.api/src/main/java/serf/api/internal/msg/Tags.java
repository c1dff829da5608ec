package serf.api.internal.msg;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.LinkedHashMap;

import serf.wire.DecodeException;
import serf.wire.DecodeLimits;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * Tags as memberlist node meta (docs/protocol/serf-messages.md §1.4). From protocol 3 on: {@code 0xFF} and a
 * msgpack map; protocol 2 sends the bare {@code role} tag. Unlike Go, which writes the map in random
 * order, keys are written sorted so that unchanged tags give unchanged meta bytes (and peers see no
 * spurious member-update). Stateless and thread-safe.
 */
public final class Tags {

    /** memberlist's MetaMaxSize: encoded tags may not be longer. */
    public static final int META_MAX = 512;

    /** Go's error text for tags whose encoding exceeds {@link #META_MAX}. */
    public static final String META_TOO_LARGE = "Encoded length of tags exceeds limit of " + META_MAX + " bytes";

    /** First byte of the map form. */
    public static final int MAGIC = 0xFF;

    private static final System.Logger LOG = System.getLogger(Tags.class.getName());
    private static final DecodeLimits LIMITS = new DecodeLimits(8, 64 * 1024, 64 * 1024);

    private Tags() {
    }

    /**
     * The meta bytes a node speaking {@code protocolVersion} advertises for {@code tags} (null = none).
     * Does not check the size; see {@link #encodeMetaChecked}.
     */
    public static byte[] encodeMeta(Map<String, String> tags, int protocolVersion) {
        Map<String, String> t = tags == null ? Map.of() : tags;
        if (protocolVersion < 3) {
            // role-only form of protocol 2: every other tag is dropped
            String role = t.get("role");
            return role == null ? new byte[0] : role.getBytes(StandardCharsets.UTF_8);
        }
        MsgpackWriter w = MsgpackWriter.gossip();
        w.writeByte(MAGIC);
        GoStruct.writeStringMap(w, t);
        return w.toByteArray();
    }

    /**
     * {@link #encodeMeta}, refusing tags whose encoding is longer than {@link #META_MAX}.
     *
     * @throws IllegalArgumentException with {@link #META_TOO_LARGE} as its message
     */
    public static byte[] encodeMetaChecked(Map<String, String> tags, int protocolVersion) {
        byte[] meta = encodeMeta(tags, protocolVersion);
        if (meta.length > META_MAX) {
            throw new IllegalArgumentException(META_TOO_LARGE);
        }
        return meta;
    }

    /**
     * The tags in a node's meta, as Go's decodeTags reads them: empty meta, or meta not starting
     * with {@code 0xFF}, is {@code {"role": <meta as text>}}; otherwise the map after the magic byte.
     * A malformed map yields the entries decoded before the error. Never throws; the result is
     * unmodifiable.
     */
    public static Map<String, String> decodeMeta(byte[] meta) {
        if (meta == null || meta.length == 0 || (meta[0] & 0xff) != MAGIC) {
            String role = meta == null ? "" : new String(meta, StandardCharsets.UTF_8);
            return Map.of("role", role);
        }
        Map<String, String> out = new LinkedHashMap<>();
        try {
            MsgpackReader r = new MsgpackReader(meta, 1, meta.length - 1, LIMITS);
            int n = r.readMapHeader();
            for (int i = 0; i < n; i++) {
                String key = r.readString();
                String value = r.readString();
                out.put(key, value); // Go stores an entry only once its value decoded
            }
        } catch (DecodeException e) {
            // Go logs this at ERR level; DEBUG here because every update from a bad peer would repeat it.
            LOG.log(System.Logger.Level.DEBUG, "serf: failed to decode tags: {0}", e.getMessage());
        }
        return Collections.unmodifiableMap(out);
    }
}
