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

    /** msgpack nil ({@code c0}). */
    record Nil() implements MsgValue {
        public static final Nil INSTANCE = new Nil();
    }

    /**
     * A boolean ({@code c2}, {@code c3}).
     *
     * @param value the boolean
     */
    record Bool(boolean value) implements MsgValue {
    }

    /**
     * An integer. {@code unsigned} is true when it came in an unsigned form ({@code cc..cf} or positive
     * fixint); a {@code cf} value above {@link Long#MAX_VALUE} is kept as its two's-complement bits.
     *
     * @param value the integer; for an unsigned value above {@code Long.MAX_VALUE}, its two's-complement bits
     * @param unsigned true when it was written in an unsigned form
     */
    record Int(long value, boolean unsigned) implements MsgValue {
    }

    /**
     * A float32 ({@code ca}) or float64 ({@code cb}).
     *
     * @param value the number
     * @param singlePrecision true when it was a float32
     */
    record Float(double value, boolean singlePrecision) implements MsgValue {
    }

    /**
     * str, raw or str8: the bytes as received (not necessarily valid UTF-8).
     *
     * @param bytes the string's bytes as they were on the wire (UTF-8 in practice, not checked)
     */
    record Str(byte[] bytes) implements MsgValue {
        /** Checks the bytes are not null. */
        public Str {
            java.util.Objects.requireNonNull(bytes, "bytes");
        }

        /**
         * {@return the UTF-8 bytes of {@code text}}
         *
         * @param text the text, encoded as UTF-8
         */
        public static Str of(String text) {
            return new Str(text.getBytes(StandardCharsets.UTF_8));
        }

        /** {@return the bytes decoded as UTF-8 (malformed sequences become U+FFFD)} */
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

    /**
     * bin8/16/32: bytes (the RPC mode's {@code []byte}).
     *
     * @param bytes the bytes as received
     */
    record Bin(byte[] bytes) implements MsgValue {
        /** Checks the bytes are not null. */
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

    /**
     * An array.
     *
     * @param elements the elements in order
     */
    record Array(List<MsgValue> elements) implements MsgValue {
        /** Copies the element list. */
        public Array {
            elements = List.copyOf(elements);
        }
    }

    /**
     * Entries in wire order (Go maps arrive in random order; compare by content where that matters).
     *
     * @param entries the key/value pairs in wire order, duplicates kept
     */
    record Map(List<Entry> entries) implements MsgValue {
        /** Copies the entry list. */
        public Map {
            entries = List.copyOf(entries);
        }

        /**
         * {@return the value of the first entry whose key is a string with exactly the UTF-8 bytes of {@code key}
         * (byte comparison, as Go matches field names), or null}
         *
         * @param key the key to look for
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

    /**
     * One key/value pair of a {@link Map}.
     *
     * @param key the key
     * @param value the value
     */
    record Entry(MsgValue key, MsgValue value) {
        /** Checks neither is null. */
        public Entry {
            java.util.Objects.requireNonNull(key, "key");
            java.util.Objects.requireNonNull(value, "value");
        }
    }

    /**
     * An extension value (fixext or ext).
     *
     * @param type the extension type, -128 to 127
     * @param data the payload
     */
    record Ext(int type, byte[] data) implements MsgValue {
        /** Checks the payload is not null. */
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
