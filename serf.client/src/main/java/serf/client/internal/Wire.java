package serf.client.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import serf.wire.DecodeException;
import serf.wire.MsgpackFormat;
import serf.wire.MsgpackReader;
import serf.wire.MsgpackWriter;

/**
 * Field-level helpers shared by the RPC codecs. Decoding follows go-msgpack with
 * {@code RawToString}: a struct is a map keyed by field name (unknown keys skipped, missing keys
 * zero) or, rarely, an array in declaration order; nil decodes to the zero struct, the nil map and
 * the nil slice. Maps keep their wire order, so re-encoding a decoded Go map reproduces its bytes.
 */
final class Wire {
    private Wire() {
    }

    /** Reads one field value; must consume exactly one msgpack value (skip what it does not know). */
    @FunctionalInterface
    interface FieldReader {
        void read(String field, MsgpackReader r);
    }

    /**
     * Reads a Go struct. {@code declared} lists the Go field names in declaration order, which is the
     * positional order go-msgpack uses when a struct arrives as an array.
     */
    static void readStruct(MsgpackReader r, List<String> declared, FieldReader fields) {
        int at = r.position();
        int lead = r.peekByte();
        if (lead == 0xc0) {
            r.readNil();
            return;
        }
        MsgpackFormat format = r.peekFormat();
        if (format == MsgpackFormat.ARRAY) {
            int n = r.readArrayHeader();
            for (int i = 0; i < n; i++) {
                if (i < declared.size()) {
                    fields.read(declared.get(i), r);
                } else {
                    r.skip();
                }
            }
            return;
        }
        if (format != MsgpackFormat.MAP) {
            throw new DecodeException("expected a struct (map), found " + format, at);
        }
        int n = r.readMapHeader();
        for (int i = 0; i < n; i++) {
            String key = r.readString();
            fields.read(key, r);
        }
    }

    /** A Go {@code map[string]string}; nil is null. Nil keys and values read as "". */
    static Map<String, String> readStringMap(MsgpackReader r) {
        return readMap(r, MsgpackReader::readString);
    }

    /** A Go {@code map[string]int}; nil is null. */
    static Map<String, Long> readLongMap(MsgpackReader r) {
        return readMap(r, MsgpackReader::readLong);
    }

    /** A Go {@code map[string]map[string]string} (the stats result); nil is null, an inner nil too. */
    static Map<String, Map<String, String>> readNestedStringMap(MsgpackReader r) {
        return readMap(r, Wire::readStringMap);
    }

    /** A Go {@code []string}; nil is null. */
    static List<String> readStringList(MsgpackReader r) {
        return readList(r, MsgpackReader::readString);
    }

    /** A Go {@code []float64}; nil is null. */
    static List<Double> readDoubleList(MsgpackReader r) {
        return readList(r, MsgpackReader::readDouble);
    }

    /** A Go map with string keys, in wire order; nil is null. */
    private static <V> Map<String, V> readMap(MsgpackReader r, Function<MsgpackReader, V> value) {
        int n = r.readMapHeader();
        if (n < 0) {
            return null;
        }
        Map<String, V> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String k = r.readString();
            out.put(k, value.apply(r));
        }
        return out;
    }

    /** A Go slice; nil is null. */
    private static <T> List<T> readList(MsgpackReader r, Function<MsgpackReader, T> element) {
        int n = r.readArrayHeader();
        if (n < 0) {
            return null;
        }
        List<T> out = new ArrayList<>(Math.min(n, 64));
        for (int i = 0; i < n; i++) {
            out.add(element.apply(r));
        }
        return out;
    }

    static void writeStringMap(MsgpackWriter w, Map<String, String> map) {
        writeMap(w, map, MsgpackWriter::writeString);
    }

    static void writeLongMap(MsgpackWriter w, Map<String, Long> map) {
        writeMap(w, map, (out, v) -> out.writeInt(v == null ? 0 : v));
    }

    static void writeNestedStringMap(MsgpackWriter w, Map<String, Map<String, String>> map) {
        writeMap(w, map, Wire::writeStringMap);
    }

    static void writeStringList(MsgpackWriter w, List<String> list) {
        writeList(w, list, MsgpackWriter::writeString);
    }

    static void writeDoubleList(MsgpackWriter w, List<Double> list) {
        writeList(w, list, (out, d) -> out.writeFloat64(d == null ? 0 : d));
    }

    /** A map with string keys in its iteration order; null is nil. */
    private static <V> void writeMap(MsgpackWriter w, Map<String, V> map, BiConsumer<MsgpackWriter, V> value) {
        if (map == null) {
            w.writeNil();
            return;
        }
        w.writeMapHeader(map.size());
        map.forEach((k, v) -> {
            w.writeString(k);
            value.accept(w, v);
        });
    }

    /** A slice in order; null is nil. */
    private static <T> void writeList(MsgpackWriter w, List<T> list, BiConsumer<MsgpackWriter, T> element) {
        if (list == null) {
            w.writeNil();
            return;
        }
        w.writeArrayHeader(list.size());
        for (T t : list) {
            element.accept(w, t);
        }
    }

    /** Unmodifiable copies that keep null (Go nil) distinct from empty and keep iteration order. */
    static <K, V> Map<K, V> copy(Map<K, V> map) {
        return map == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    static <T> List<T> copy(List<T> list) {
        return list == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(list));
    }

    static String str(String s) {
        return s == null ? "" : s;
    }

    static String hex(byte[] b) {
        return b == null ? "nil" : java.util.HexFormat.of().formatHex(b);
    }

    static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
