package serf.wire;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * A decoded msgpack value of any shape, for tests, diagnostics and the few places (Go maps of
 * unknown shape, the agent's {@code stats}) where a schema-free tree is the honest model.
 * Protocol messages are decoded field by field instead, without going through this tree.
 */
public sealed interface MsgValue {

    record Nil() implements MsgValue {
        public static final Nil INSTANCE = new Nil();
    }

    record Bool(boolean value) implements MsgValue {
    }

    /**
     * An integer. {@code unsigned} is true when it came in an unsigned form ({@code cc..cf} or positive
     * fixint); a {@code cf} value above {@link Long#MAX_VALUE} is kept as its two's-complement bits.
     */
    record Int(long value, boolean unsigned) implements MsgValue {
    }

    record Float(double value, boolean singlePrecision) implements MsgValue {
    }

    /** str, raw or str8: the bytes as received (not necessarily valid UTF-8). */
    record Str(byte[] bytes) implements MsgValue {
        public Str {
            java.util.Objects.requireNonNull(bytes, "bytes");
        }

        /** The UTF-8 bytes of {@code text}. */
        public static Str of(String text) {
            return new Str(text.getBytes(StandardCharsets.UTF_8));
        }

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Str s && java.util.Arrays.equals(bytes, s.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Str[" + text() + "]";
        }
    }

    record Bin(byte[] bytes) implements MsgValue {
        public Bin {
            java.util.Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bin b && java.util.Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Bin[" + HexFormat.of().formatHex(bytes) + "]";
        }
    }

    record Array(List<MsgValue> elements) implements MsgValue {
        public Array {
            elements = List.copyOf(elements);
        }
    }

    /** Entries in wire order (Go maps arrive in random order; compare by content where that matters). */
    record Map(List<Entry> entries) implements MsgValue {
        public Map {
            entries = List.copyOf(entries);
        }

        /**
         * The value of the first entry whose key is a string with exactly the UTF-8 bytes of {@code key}
         * (byte comparison, as Go matches field names), or null.
         */
        public MsgValue get(String key) {
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            for (Entry e : entries) {
                if (e.key() instanceof Str s && java.util.Arrays.equals(s.bytes(), keyBytes)) {
                    return e.value();
                }
            }
            return null;
        }
    }

    record Entry(MsgValue key, MsgValue value) {
        public Entry {
            java.util.Objects.requireNonNull(key, "key");
            java.util.Objects.requireNonNull(value, "value");
        }
    }

    record Ext(int type, byte[] data) implements MsgValue {
        public Ext {
            java.util.Objects.requireNonNull(data, "data");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Ext e && e.type == type && java.util.Arrays.equals(data, e.data);
        }

        @Override
        public int hashCode() {
            return 31 * type + java.util.Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Ext[" + type + "," + HexFormat.of().formatHex(data) + "]";
        }
    }
}
