package serf.api.internal.msg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * Reading Go structs the way go-msgpack 0.5.5 does: a msgpack map keyed by field name (any order,
 * unknown keys skipped, missing keys left zero), an array holding the fields in declaration order
 * (extra elements skipped), or nil for an all-zero struct. Also the shared helpers for Go
 * collections. Public only so that {@code serf.api.coordinate} can use it; the package is not
 * exported.
 */
public final class GoStruct {

    /** Reads the value of one field; must consume exactly one msgpack value (skip what it does not know). */
    @FunctionalInterface
    public interface FieldReader {
        void read(String field, MsgpackReader r);
    }

    /** Orders map keys by their UTF-8 bytes, as Go orders strings. */
    public static final Comparator<String> GO_ORDER = (a, b) -> a.equals(b) ? 0
            : Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private GoStruct() {
    }

    /**
     * Reads one struct value. {@code declarationOrder} names the fields as the Go type declares them
     * (only used when the struct arrives as an array).
     */
    public static void read(MsgpackReader r, List<String> declarationOrder, FieldReader fields) {
        if (r.tryReadNil()) {
            return;
        }
        switch (r.peekFormat()) {
            case ARRAY -> {
                int n = r.readArrayHeader();
                for (int i = 0; i < n; i++) {
                    if (i < declarationOrder.size()) {
                        fields.read(declarationOrder.get(i), r);
                    } else {
                        r.skip();
                    }
                }
            }
            default -> {
                // readMapHeader raises the DecodeException for anything that is neither map nor array.
                int n = r.readMapHeader();
                for (int i = 0; i < n; i++) {
                    String key = r.readString();
                    fields.read(key, r);
                }
            }
        }
    }

    /** A Go []string: nil reads as an empty list, nil elements as "". Unmodifiable. */
    public static List<String> readStringList(MsgpackReader r) {
        int n = r.readArrayHeader();
        if (n <= 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>(Math.min(n, 256));
        for (int i = 0; i < n; i++) {
            out.add(r.readString());
        }
        return Collections.unmodifiableList(out);
    }

    /** A Go map[string]string: nil reads as an empty map; a repeated key keeps its last value. Unmodifiable. */
    public static Map<String, String> readStringMap(MsgpackReader r) {
        int n = r.readMapHeader();
        if (n <= 0) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String k = r.readString();
            out.put(k, r.readString());
        }
        return Collections.unmodifiableMap(out);
    }

    /** Writes a map[string]string with its keys in Go byte order, so equal maps give equal bytes. */
    public static void writeStringMap(MsgpackWriter w, Map<String, String> map) {
        if (map == null) {
            w.writeMapHeader(0);
            return;
        }
        List<String> keys = new ArrayList<>(map.keySet());
        keys.sort(GO_ORDER);
        w.writeMapHeader(keys.size());
        for (String k : keys) {
            w.writeString(k);
            w.writeString(map.get(k));
        }
    }
}
