package serf.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static serf.wire.TestBytes.hex;
import static serf.wire.TestBytes.toHex;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact bytes at every boundary of every msgpack form, as go-msgpack 0.5.5 writes them, and the
 * reader's view of those same bytes (value, consumed length, skip, measure).
 */
class MsgpackEncodingTableTest {

    // ---- integers ------------------------------------------------------------------------------

    static Stream<Arguments> signedInts() {
        return Stream.of(
                Arguments.of(0L, "00"),
                Arguments.of(1L, "01"),
                Arguments.of(0x7fL, "7f"),
                Arguments.of(0x80L, "cc80"),
                Arguments.of(0xffL, "ccff"),
                Arguments.of(0x100L, "cd0100"),
                Arguments.of(7946L, "cd1f0a"),
                Arguments.of(0xffffL, "cdffff"),
                Arguments.of(0x10000L, "ce00010000"),
                Arguments.of(0xffffffffL, "ceffffffff"),
                Arguments.of(0x1_0000_0000L, "cf0000000100000000"),
                Arguments.of(5_000_000_000L, "cf000000012a05f200"),
                Arguments.of(Long.MAX_VALUE, "cf7fffffffffffffff"),
                Arguments.of(-1L, "ff"),
                Arguments.of(-32L, "e0"),
                Arguments.of(-33L, "d0df"),
                Arguments.of(-128L, "d080"),
                Arguments.of(-129L, "d1ff7f"),
                Arguments.of(-32768L, "d18000"),
                Arguments.of(-32769L, "d2ffff7fff"),
                Arguments.of((long) Integer.MIN_VALUE, "d280000000"),
                Arguments.of(Integer.MIN_VALUE - 1L, "d3ffffffff7fffffff"),
                Arguments.of(Long.MIN_VALUE, "d38000000000000000"));
    }

    @ParameterizedTest(name = "writeInt({0}) = {1}")
    @MethodSource("signedInts")
    void writeIntUsesTheSmallestFormAndUnsignedFormsForNonNegatives(long value, String expected) {
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeInt(value))).isEqualTo(expected);
        assertThat(encode(StringEncoding.RPC_STR_BIN, w -> w.writeInt(value))).isEqualTo(expected);

        byte[] bytes = hex(expected);
        assertThat(new MsgpackReader(bytes).readLong()).isEqualTo(value);
        MsgpackReader r = new MsgpackReader(bytes);
        assertThat(r.readValue()).isEqualTo(new MsgValue.Int(value, value >= 0));
        assertThat(r.remaining()).isZero();
        assertWholeValue(bytes);
        if (value >= 0) {
            assertThat(new MsgpackReader(bytes).readUint64()).isEqualTo(value);
            assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeUint64(value))).isEqualTo(expected);
        } else {
            assertThatThrownBy(() -> new MsgpackReader(bytes).readUint64()).isInstanceOf(DecodeException.class);
        }
    }

    @Test
    void uint64AboveLongMaxUsesCf() {
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeUint64(-1L))).isEqualTo("cfffffffffffffffff");
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeUint64(Long.MIN_VALUE))).isEqualTo("cf8000000000000000");

        byte[] max = hex("cfffffffffffffffff");
        assertThat(new MsgpackReader(max).readUint64()).isEqualTo(-1L); // the unsigned bits of 2^64-1
        assertThat(new MsgpackReader(max).readValue()).isEqualTo(new MsgValue.Int(-1L, true));
        assertThat(new MsgpackReader(max).readDouble()).isEqualTo(18446744073709551615.0);
        assertThatThrownBy(() -> new MsgpackReader(max).readLong())
                .isInstanceOf(DecodeException.class).hasMessageContaining("overflows int64");
        assertWholeValue(max);
    }

    /** Go reads any width or sign for any integer field as long as the value fits: so must we. */
    @Test
    void everyIntegerWidthIsReadForEveryFieldSize() {
        String[] fortyTwo = {"2a", "cc2a", "cd002a", "ce0000002a", "cf000000000000002a", "d02a", "d1002a",
                "d20000002a", "d3000000000000002a"};
        for (String h : fortyTwo) {
            assertThat(new MsgpackReader(hex(h)).readUint8()).as(h).isEqualTo(42);
            assertThat(new MsgpackReader(hex(h)).readUint16()).as(h).isEqualTo(42);
            assertThat(new MsgpackReader(hex(h)).readUint32()).as(h).isEqualTo(42L);
            assertThat(new MsgpackReader(hex(h)).readUint64()).as(h).isEqualTo(42L);
            assertThat(new MsgpackReader(hex(h)).readInt()).as(h).isEqualTo(42);
            assertThat(new MsgpackReader(hex(h)).readLong()).as(h).isEqualTo(42L);
            assertThat(new MsgpackReader(hex(h)).readDouble()).as(h).isEqualTo(42.0);
            assertWholeValue(hex(h));
        }
        String[] minusFive = {"fb", "d0fb", "d1fffb", "d2fffffffb", "d3fffffffffffffffb"};
        for (String h : minusFive) {
            assertThat(new MsgpackReader(hex(h)).readInt()).as(h).isEqualTo(-5);
            assertThatThrownBy(() -> new MsgpackReader(hex(h)).readUint32()).as(h).isInstanceOf(DecodeException.class);
            assertThatThrownBy(() -> new MsgpackReader(hex(h)).readUint64()).as(h).isInstanceOf(DecodeException.class);
        }
        // Range checks at each unsigned width's edge.
        assertThat(new MsgpackReader(hex("ccff")).readUint8()).isEqualTo(255);
        assertThatThrownBy(() -> new MsgpackReader(hex("cd0100")).readUint8()).isInstanceOf(DecodeException.class);
        assertThat(new MsgpackReader(hex("cdffff")).readUint16()).isEqualTo(65535);
        assertThatThrownBy(() -> new MsgpackReader(hex("ce00010000")).readUint16()).isInstanceOf(DecodeException.class);
        assertThat(new MsgpackReader(hex("ceffffffff")).readUint32()).isEqualTo(0xffffffffL);
        assertThatThrownBy(() -> new MsgpackReader(hex("cf0000000100000000")).readUint32()).isInstanceOf(DecodeException.class);
        assertThat(new MsgpackReader(hex("d27fffffff")).readInt()).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> new MsgpackReader(hex("ce80000000")).readInt()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("d3ffffffff7fffffff")).readInt()).isInstanceOf(DecodeException.class);
    }

    // ---- nil, bool, float ----------------------------------------------------------------------

    @Test
    void nilBoolAndFloats() {
        assertThat(encode(StringEncoding.GOSSIP_RAW, MsgpackWriter::writeNil)).isEqualTo("c0");
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeBool(false))).isEqualTo("c2");
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeBool(true))).isEqualTo("c3");
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeFloat32(1.5f))).isEqualTo("ca3fc00000");
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeFloat64(1.5))).isEqualTo("cb3ff8000000000000");
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeFloat64(-0.0))).isEqualTo("cb8000000000000000");
        // Height 1e-5 from the coordinate vectors.
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeFloat64(1e-05))).isEqualTo("cb3ee4f8b588e368f1");

        assertThat(new MsgpackReader(hex("c0")).readValue()).isEqualTo(MsgValue.Nil.INSTANCE);
        assertThat(new MsgpackReader(hex("c2")).readValue()).isEqualTo(new MsgValue.Bool(false));
        assertThat(new MsgpackReader(hex("c3")).readValue()).isEqualTo(new MsgValue.Bool(true));
        assertThat(new MsgpackReader(hex("ca3fc00000")).readValue()).isEqualTo(new MsgValue.Float(1.5, true));
        assertThat(new MsgpackReader(hex("cb3ff8000000000000")).readValue()).isEqualTo(new MsgValue.Float(1.5, false));
        assertThat(new MsgpackReader(hex("cb3ee4f8b588e368f1")).readDouble()).isEqualTo(1e-05);
        assertThat(new MsgpackReader(hex("ca7fc00000")).readDouble()).isNaN();
        for (String h : new String[] {"c0", "c2", "c3", "ca3fc00000", "cb3ff8000000000000"}) {
            assertWholeValue(hex(h));
        }
    }

    // ---- strings and bytes ---------------------------------------------------------------------

    static Stream<Arguments> stringLengths() {
        // length, gossip string/bytes header, rpc string header, rpc bytes header
        return Stream.of(
                Arguments.of(0, "a0", "a0", "c400"),
                Arguments.of(1, "a1", "a1", "c401"),
                Arguments.of(31, "bf", "bf", "c41f"),
                Arguments.of(32, "da0020", "d920", "c420"),
                Arguments.of(255, "da00ff", "d9ff", "c4ff"),
                Arguments.of(256, "da0100", "da0100", "c50100"),
                Arguments.of(65535, "daffff", "daffff", "c5ffff"),
                Arguments.of(65536, "db00010000", "db00010000", "c600010000"));
    }

    @ParameterizedTest(name = "length {0}: gossip {1}, rpc str {2}, rpc bin {3}")
    @MethodSource("stringLengths")
    void stringsAndBytesInBothEncodings(int length, String gossip, String rpcStr, String rpcBin) {
        byte[] payload = new byte[length];
        Arrays.fill(payload, (byte) 'x');
        String text = "x".repeat(length);
        String body = toHex(payload);

        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeString(text))).isEqualTo(gossip + body);
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeBytes(payload))).isEqualTo(gossip + body);
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeRawFamily(payload))).isEqualTo(gossip + body);
        assertThat(encode(StringEncoding.RPC_STR_BIN, w -> w.writeString(text))).isEqualTo(rpcStr + body);
        assertThat(encode(StringEncoding.RPC_STR_BIN, w -> w.writeStr(payload))).isEqualTo(rpcStr + body);
        assertThat(encode(StringEncoding.RPC_STR_BIN, w -> w.writeBytes(payload))).isEqualTo(rpcBin + body);
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeBin(payload))).isEqualTo(rpcBin + body);

        for (String header : new String[] {gossip, rpcStr}) {
            byte[] bytes = hex(header + body);
            assertThat(new MsgpackReader(bytes).readString()).isEqualTo(text);
            assertThat(new MsgpackReader(bytes).readBytes()).isEqualTo(payload);
            assertThat(new MsgpackReader(bytes).readValue()).isEqualTo(new MsgValue.Str(payload));
            assertWholeValue(bytes);
        }
        byte[] bin = hex(rpcBin + body);
        assertThat(new MsgpackReader(bin).readBytes()).isEqualTo(payload);
        assertThat(new MsgpackReader(bin).readString()).isEqualTo(text); // RPC handle reads bin into strings
        assertThat(new MsgpackReader(bin).readValue()).isEqualTo(new MsgValue.Bin(payload));
        assertWholeValue(bin);
    }

    @Test
    void nullAndEmptyAreDistinct() {
        for (StringEncoding enc : StringEncoding.values()) {
            assertThat(encode(enc, w -> w.writeBytes(null))).isEqualTo("c0");
            assertThat(encode(enc, w -> w.writeString(null))).isEqualTo("a0"); // Go has no null string
        }
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeBytes(new byte[0]))).isEqualTo("a0");
        assertThat(encode(StringEncoding.RPC_STR_BIN, w -> w.writeBytes(new byte[0]))).isEqualTo("c400");

        assertThat(new MsgpackReader(hex("c0")).readBytes()).isNull();
        assertThat(new MsgpackReader(hex("a0")).readBytes()).isEmpty();
        assertThat(new MsgpackReader(hex("c400")).readBytes()).isEmpty();
        assertThat(new MsgpackReader(hex("c0")).readString()).isEmpty();
    }

    @Test
    void utf8TextIsEncodedAsUtf8Bytes() {
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeString("é€"))).isEqualTo("a5c3a9e282ac");
        assertThat(new MsgpackReader(hex("a5c3a9e282ac")).readString()).isEqualTo("é€");
        // Invalid UTF-8 is replaced, never fatal (Go strings are bytes).
        assertThat(new MsgpackReader(hex("a2ff41")).readString()).isEqualTo("\uFFFDA");
    }

    // ---- arrays and maps -----------------------------------------------------------------------

    static Stream<Arguments> collectionSizes() {
        return Stream.of(
                Arguments.of(0, "90", "80"),
                Arguments.of(15, "9f", "8f"),
                Arguments.of(16, "dc0010", "de0010"),
                Arguments.of(65535, "dcffff", "deffff"),
                Arguments.of(65536, "dd00010000", "df00010000"));
    }

    @ParameterizedTest(name = "{0} elements: array {1}, map {2}")
    @MethodSource("collectionSizes")
    void arrayAndMapHeaders(int n, String array, String map) {
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeArrayHeader(n))).isEqualTo(array);
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeMapHeader(n))).isEqualTo(map);

        // Whole values: n nils / n (int, nil) entries.
        byte[] arrayValue = TestBytes.concat(hex(array), filled(n, 0xc0));
        MsgpackReader ra = new MsgpackReader(arrayValue);
        assertThat(ra.readArrayHeader()).isEqualTo(n);
        MsgValue av = new MsgpackReader(arrayValue).readValue();
        assertThat(((MsgValue.Array) av).elements()).hasSize(n).allMatch(MsgValue.Nil.class::isInstance);
        assertWholeValue(arrayValue);

        byte[] mapValue = TestBytes.concat(hex(map), filled(2 * n, 0xc0));
        assertThat(new MsgpackReader(mapValue).readMapHeader()).isEqualTo(n);
        assertThat(((MsgValue.Map) new MsgpackReader(mapValue).readValue()).entries()).hasSize(n);
        assertWholeValue(mapValue);

        MsgpackWriter w = MsgpackWriter.gossip();
        w.writeValue(av);
        assertThat(w.toByteArray()).isEqualTo(arrayValue);
    }

    @Test
    void nilCollectionsReadAsMinusOne() {
        assertThat(new MsgpackReader(hex("c0")).readArrayHeader()).isEqualTo(-1);
        assertThat(new MsgpackReader(hex("c0")).readMapHeader()).isEqualTo(-1);
    }

    // ---- ext -----------------------------------------------------------------------------------

    static Stream<Arguments> extSizes() {
        return Stream.of(
                Arguments.of(1, "d405"),
                Arguments.of(2, "d505"),
                Arguments.of(4, "d605"),
                Arguments.of(8, "d705"),
                Arguments.of(16, "d805"),
                Arguments.of(0, "c70005"),
                Arguments.of(3, "c70305"),
                Arguments.of(17, "c71105"),
                Arguments.of(255, "c7ff05"),
                Arguments.of(256, "c8010005"),
                Arguments.of(65535, "c8ffff05"),
                Arguments.of(65536, "c90001000005"));
    }

    @ParameterizedTest(name = "ext of {0} bytes = {1}...")
    @MethodSource("extSizes")
    void extInTheSmallestForm(int n, String header) {
        byte[] data = filled(n, 0xab);
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeExt(5, data))).isEqualTo(header + toHex(data));
        byte[] bytes = hex(header + toHex(data));
        assertThat(new MsgpackReader(bytes).readExt()).isEqualTo(new MsgValue.Ext(5, data));
        assertThat(new MsgpackReader(bytes).readValue()).isEqualTo(new MsgValue.Ext(5, data));
        assertWholeValue(bytes);
    }

    @Test
    void extTypeIsSigned() {
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeExt(-1, new byte[] {7}))).isEqualTo("d4ff07");
        assertThat(encode(StringEncoding.GOSSIP_RAW, w -> w.writeExt(0xff, new byte[] {7}))).isEqualTo("d4ff07");
        assertThat(new MsgpackReader(hex("d4ff07")).readExt().type()).isEqualTo(-1);
        assertThat(new MsgpackReader(hex("d48007")).readExt().type()).isEqualTo(-128);
        assertThatThrownBy(() -> MsgpackWriter.gossip().writeExt(256, new byte[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MsgpackWriter.gossip().writeExt(-129, new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- helpers -------------------------------------------------------------------------------

    static String encode(StringEncoding encoding, Consumer<MsgpackWriter> body) {
        MsgpackWriter w = new MsgpackWriter(encoding);
        body.accept(w);
        assertThat(w.size()).isEqualTo(w.toByteArray().length);
        return toHex(w.toByteArray());
    }

    static byte[] filled(int n, int b) {
        byte[] out = new byte[n];
        Arrays.fill(out, (byte) b);
        return out;
    }

    /** skip, readEncodedValue and measure all agree that {@code bytes} is exactly one value. */
    static void assertWholeValue(byte[] bytes) {
        MsgpackReader r = new MsgpackReader(bytes);
        r.skip();
        assertThat(r.position()).isEqualTo(bytes.length);
        assertThat(new MsgpackReader(bytes).readEncodedValue()).isEqualTo(bytes);
        assertThat(MsgpackReader.measure(bytes, 0, bytes.length, DecodeLimits.DEFAULT)).isEqualTo(bytes.length);
        // With trailing bytes, still only the value.
        byte[] more = TestBytes.concat(bytes, hex("c3c3"));
        assertThat(MsgpackReader.measure(more, 0, more.length, DecodeLimits.DEFAULT)).isEqualTo(bytes.length);
        // Any proper prefix is incomplete (checked on the first few and the last few cut points for big values).
        for (int cut = 0; cut < bytes.length; cut++) {
            if (cut > 40 && cut < bytes.length - 40) {
                cut = bytes.length - 40;
            }
            assertThat(MsgpackReader.measure(bytes, 0, cut, DecodeLimits.DEFAULT)).as("prefix %d", cut).isEqualTo(-1);
        }
    }
}
