package serf.api.internal.msg;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import serf.wire.DecodeException;
import serf.wire.DecodeLimits;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * Query filters (docs/protocol/serf-messages.md §3.5.1): one type byte, then msgpack. A node filter lists the
 * nodes that should answer; a tag filter is a Go (RE2) regular expression searched, unanchored, in
 * the value of one of the receiver's tags (a missing tag is ""). Stateless and thread-safe.
 */
public final class Filters {

    /** Type byte of a node filter. */
    public static final int NODE_TYPE = 0;
    /** Type byte of a tag filter. */
    public static final int TAG_TYPE = 1;

    private static final System.Logger LOG = System.getLogger(Filters.class.getName());
    private static final DecodeLimits LIMITS = new DecodeLimits(8, 1 << 20, 1 << 16);
    private static final List<String> TAG_FILTER_FIELDS = List.of("Tag", "Expr"); // Go declaration order

    private Filters() {
    }

    /** A decoded filter. */
    public sealed interface Filter permits NodeFilter, TagFilter {
    }

    /** Only the listed nodes process the query. */
    public record NodeFilter(List<String> nodes) implements Filter {
        public NodeFilter {
            nodes = nodes == null ? List.of() : nodes.stream().map(n -> n == null ? "" : n).toList();
        }
    }

    /** Only nodes whose tag {@code tag} contains a match of the RE2 expression {@code expr}. */
    public record TagFilter(String tag, String expr) implements Filter {
        public TagFilter {
            tag = Objects.requireNonNullElse(tag, "");
            expr = Objects.requireNonNullElse(expr, "");
        }
    }

    /** Type byte + msgpack, as Go's encodeFilter writes it. */
    public static byte[] encode(Filter f) {
        MsgpackWriter w = MsgpackWriter.gossip();
        switch (f) {
            case NodeFilter n -> {
                w.writeByte(NODE_TYPE);
                w.writeArrayHeader(n.nodes().size());
                n.nodes().forEach(w::writeString);
            }
            case TagFilter t -> {
                w.writeByte(TAG_TYPE);
                w.writeMapHeader(2);
                w.writeKey("Expr").writeString(t.expr());
                w.writeKey("Tag").writeString(t.tag());
            }
        }
        return w.toByteArray();
    }

    /**
     * Decodes one encoded filter; bytes after the msgpack value are ignored, as in Go.
     *
     * @throws DecodeException if it is empty, malformed or of an unknown type
     */
    public static Filter decode(byte[] raw) {
        if (raw == null || raw.length == 0) {
            throw DecodeException.truncated("empty filter", 0);
        }
        MsgpackReader r = new MsgpackReader(raw, 0, raw.length, LIMITS);
        int type = r.readFixed(1)[0] & 0xff;
        if (!r.hasRemaining()) {
            throw DecodeException.truncated("filter body", 1);
        }
        return switch (type) {
            case NODE_TYPE -> new NodeFilter(GoStruct.readStringList(r));
            case TAG_TYPE -> {
                String[] fields = {"", ""}; // tag, expr
                GoStruct.read(r, TAG_FILTER_FIELDS, (name, v) -> {
                    switch (name) {
                        case "Tag" -> fields[0] = v.readString();
                        case "Expr" -> fields[1] = v.readString();
                        default -> v.skip();
                    }
                });
                yield new TagFilter(fields[0], fields[1]);
            }
            default -> throw new DecodeException("unknown filter type " + type, 0);
        };
    }

    /**
     * Whether a node named {@code localName} with tags {@code localTags} should process a query
     * carrying {@code encodedFilters} (null = no filters): every filter must match. A filter that
     * is empty, fails to decode, has an unknown type or an expression RE2 would refuse does not match
     * (Go logs and treats the query as not for this node). Never throws.
     */
    public static boolean matches(List<byte[]> encodedFilters, String localName, Map<String, String> localTags) {
        if (encodedFilters == null) {
            return true;
        }
        for (byte[] raw : encodedFilters) {
            Filter f;
            try {
                f = decode(raw);
            } catch (DecodeException e) {
                // Go logs a warning; DEBUG here, since a hostile peer could repeat it at will.
                LOG.log(System.Logger.Level.DEBUG, "serf: failed to decode query filter: {0}", e.getMessage());
                return false;
            }
            boolean ok = switch (f) {
                case NodeFilter n -> n.nodes().contains(localName == null ? "" : localName);
                case TagFilter t -> {
                    if (Re2.compile(t.expr()).isEmpty()) {
                        LOG.log(System.Logger.Level.DEBUG, "serf: failed to compile filter regex ({0})", t.expr());
                        yield false;
                    }
                    String value = localTags == null ? null : localTags.get(t.tag());
                    yield Re2.find(t.expr(), value == null ? "" : value);
                }
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
