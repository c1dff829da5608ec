package serf.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static serf.wire.TestBytes.hex;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Behaviour of the reader beyond plain encodings: Go's leniencies, limits, errors, ranges. */
class MsgpackReaderTest {

    private static final DecodeLimits DEPTH_1 = new DecodeLimits(1, 1024, 1024);

    @Test
    void formatOfEveryLeadByte() {
        for (int b = 0; b < 256; b++) {
            MsgpackFormat expected;
            if (b <= 0x7f || b >= 0xe0 || (b >= 0xcc && b <= 0xd3)) {
                expected = MsgpackFormat.INTEGER;
            } else if (b <= 0x8f || b == 0xde || b == 0xdf) {
                expected = MsgpackFormat.MAP;
            } else if (b <= 0x9f || b == 0xdc || b == 0xdd) {
                expected = MsgpackFormat.ARRAY;
            } else if (b <= 0xbf || (b >= 0xd9 && b <= 0xdb)) {
                expected = MsgpackFormat.STRING;
            } else if (b == 0xc0) {
                expected = MsgpackFormat.NIL;
            } else if (b == 0xc1) {
                expected = MsgpackFormat.NEVER_USED;
            } else if (b == 0xc2 || b == 0xc3) {
                expected = MsgpackFormat.BOOLEAN;
            } else if (b <= 0xc6) {
                expected = MsgpackFormat.BINARY;
            } else if (b <= 0xc9 || (b >= 0xd4 && b <= 0xd8)) {
                expected = MsgpackFormat.EXTENSION;
            } else {
                expected = MsgpackFormat.FLOAT; // ca, cb
            }
            assertThat(MsgpackFormat.of(b)).as("0x%02x", b).isEqualTo(expected);
            assertThat(MsgpackFormat.of((byte) b)).as("signed 0x%02x", b).isEqualTo(expected);
        }
    }

    @Test
    void goLeniencies() {
        // bool: fixint 0/1 and nil too; 2 is refused (probe indirect_nack_as_int2).
        assertThat(new MsgpackReader(hex("01")).readBool()).isTrue();
        assertThat(new MsgpackReader(hex("00")).readBool()).isFalse();
        assertThat(new MsgpackReader(hex("c0")).readBool()).isFalse();
        assertThatThrownBy(() -> new MsgpackReader(hex("02")).readBool()).isInstanceOf(DecodeException.class);
        // nil leaves numbers at zero.
        assertThat(new MsgpackReader(hex("c0")).readLong()).isZero();
        assertThat(new MsgpackReader(hex("c0")).readUint32()).isZero();
        assertThat(new MsgpackReader(hex("c0")).readDouble()).isZero();
        // Floats accept integers.
        assertThat(new MsgpackReader(hex("fb")).readDouble()).isEqualTo(-5.0);
        // Strings: str8 (probe ping_str8_value) and bin.
        assertThat(new MsgpackReader(hex("d9066e6f64652d62")).readString()).isEqualTo("node-b");
        assertThat(new MsgpackReader(hex("c4066e6f64652d62")).readString()).isEqualTo("node-b");
        // []byte: array of small ints (probe alive_vsn_as_array), nil elements as 0, bin8, str8.
        assertThat(new MsgpackReader(hex("96010502020504")).readBytes()).containsExactly(1, 5, 2, 2, 5, 4);
        assertThat(new MsgpackReader(hex("93c0cc80cd00ff")).readBytes()).containsExactly(0, 0x80, 0xff);
        assertThat(new MsgpackReader(hex("90")).readBytes()).isEmpty();
        assertThat(new MsgpackReader(hex("c406010502020504")).readBytes()).containsExactly(1, 5, 2, 2, 5, 4);
        assertThat(new MsgpackReader(hex("d903616263")).readBytes()).containsExactly('a', 'b', 'c');
        assertThatThrownBy(() -> new MsgpackReader(hex("91cd0100")).readBytes()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("91ff")).readBytes()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("91a0")).readBytes()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("9301")).readBytes()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("9301020304"), new DecodeLimits(4, 2, 100)).readBytes())
                .isInstanceOf(DecodeException.class).hasMessageContaining("limit");
    }

    @Test
    void wrongTypesAreDecodeExceptionsWithTheOffset() {
        // The reader's range starts at 2 in the array; offsets are relative to that start.
        byte[] data = hex("ffff 81 a1 41 c3");
        MsgpackReader r = new MsgpackReader(data, 2, data.length - 2, DecodeLimits.DEFAULT);
        assertThat(r.readMapHeader()).isEqualTo(1);
        assertThat(r.readString()).isEqualTo("A");
        assertThat(r.position()).isEqualTo(3);
        DecodeException e = catchThrowableOfType(DecodeException.class, r::readString);
        assertThat(e.offset()).isEqualTo(3);
        assertThat(e.isTruncated()).isFalse();
        assertThat(e.getMessage()).contains("expected string").contains("0xc3").contains("offset 3");

        assertThatThrownBy(() -> new MsgpackReader(hex("a0")).readLong()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("90")).readString()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("80")).readArrayHeader()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("90")).readMapHeader()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("c2")).readNil()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("a0")).readExt()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("a0")).readDouble()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("c1")).readValue()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("c1")).skip()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> MsgpackReader.measure(hex("c1"), 0, 1, DecodeLimits.DEFAULT)).isInstanceOf(DecodeException.class);
    }

    @Test
    void truncationIsFlaggedAndNeverReadsPastTheRange() {
        for (String h : new String[] {"", "cd00", "ce000000", "cf00000000000000", "cb3ff8", "a3616263".substring(0, 6),
                "da00", "da000561", "db0000", "dc00", "dc0002c0", "de0001c0", "c7", "c701", "c70105", "d6050102",
                "c4", "c40201", "91", "81c0"}) {
            DecodeException e = catchThrowableOfType(DecodeException.class, () -> new MsgpackReader(hex(h)).readValue());
            assertThat(e).as(h).isNotNull();
            assertThat(e.isTruncated()).as(h).isTrue();
            assertThat(MsgpackReader.measure(hex(h), 0, hex(h).length, DecodeLimits.DEFAULT)).as(h).isEqualTo(-1);
        }
        // A complete value right after the range is not seen.
        byte[] data = hex("a3616263");
        assertThatThrownBy(() -> new MsgpackReader(data, 0, 3, DecodeLimits.DEFAULT).readString())
                .isInstanceOf(DecodeException.class);
        assertThat(MsgpackReader.measure(data, 0, 3, DecodeLimits.DEFAULT)).isEqualTo(-1);
        assertThat(MsgpackReader.measure(hex("00a3616263"), 1, 4, DecodeLimits.DEFAULT)).isEqualTo(4);
        assertThatThrownBy(() -> new MsgpackReader(data, 2, 3, DecodeLimits.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsLargerThanTheBytesLeftAreTruncationNotAllocation() {
        // dd ffffffff would be 4 billion elements; it must fail fast without allocating.
        DecodeException e = catchThrowableOfType(DecodeException.class,
                () -> new MsgpackReader(hex("dd0000ffff"), new DecodeLimits(8, 100, Integer.MAX_VALUE)).readValue());
        assertThat(e.isTruncated()).isTrue();
        e = catchThrowableOfType(DecodeException.class, () -> new MsgpackReader(hex("ddffffffff")).readValue());
        assertThat(e.isTruncated()).isFalse(); // over maxEntries: malformed, whatever follows
        // A map needs two bytes per entry: 2 entries in 3 bytes cannot be.
        e = catchThrowableOfType(DecodeException.class, () -> new MsgpackReader(hex("82c0c0c0")).readValue());
        assertThat(e.isTruncated()).isTrue();
        e = catchThrowableOfType(DecodeException.class, () -> new MsgpackReader(hex("dbffffffff")).readValue());
        assertThat(e.isTruncated()).isFalse(); // 4 GiB > maxStringBytes
        e = catchThrowableOfType(DecodeException.class, () -> new MsgpackReader(hex("c9ffffffff05")).readValue());
        assertThat(e.isTruncated()).isFalse();
    }

    @Test
    void stringAndEntryLimits() {
        DecodeLimits limits = new DecodeLimits(4, 3, 2);
        assertThat(new MsgpackReader(hex("a3616263"), limits).readString()).isEqualTo("abc");
        assertThatThrownBy(() -> new MsgpackReader(hex("a461626364"), limits).readString())
                .isInstanceOf(DecodeException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> new MsgpackReader(hex("c40461626364"), limits).skip()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("d60501020304"), limits).readValue()).isInstanceOf(DecodeException.class);
        assertThat(new MsgpackReader(hex("920102"), limits).readValue()).isInstanceOf(MsgValue.Array.class);
        assertThatThrownBy(() -> new MsgpackReader(hex("93010203"), limits).readValue())
                .isInstanceOf(DecodeException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> new MsgpackReader(hex("83010101020103"), limits).skip()).isInstanceOf(DecodeException.class);
    }

    @Test
    void depthCountsNestedContainers() {
        // maxDepth 1: one level of array/map, with scalars and ext inside it.
        for (String ok : new String[] {"01", "90", "80", "920102", "81a141c3", "91d40501", "c0"}) {
            assertThat(new MsgpackReader(hex(ok), DEPTH_1).readValue()).as(ok).isNotNull();
            new MsgpackReader(hex(ok), DEPTH_1).skip();
        }
        for (String deep : new String[] {"9190", "9180", "8190c0", "81c090", "929090"}) {
            DecodeException e = catchThrowableOfType(DecodeException.class, () -> new MsgpackReader(hex(deep), DEPTH_1).readValue());
            assertThat(e).as(deep).isNotNull().hasMessageContaining("nesting");
            assertThat(e.offset()).as(deep).isPositive();
            assertThatThrownBy(() -> new MsgpackReader(hex(deep), DEPTH_1).skip()).as(deep).isInstanceOf(DecodeException.class);
            assertThatThrownBy(() -> MsgpackReader.measure(hex(deep), 0, hex(deep).length, DEPTH_1)).isInstanceOf(DecodeException.class);
        }
        // Default 32: 32 nested arrays pass, 33 do not.
        byte[] d32 = TestBytes.concat(MsgpackEncodingTableTest.filled(31, 0x91), hex("90"));
        byte[] d33 = TestBytes.concat(MsgpackEncodingTableTest.filled(32, 0x91), hex("90"));
        assertThat(new MsgpackReader(d32).readValue()).isInstanceOf(MsgValue.Array.class);
        assertThat(MsgpackReader.measure(d32, 0, d32.length, DecodeLimits.DEFAULT)).isEqualTo(32);
        assertThatThrownBy(() -> new MsgpackReader(d33).readValue()).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new MsgpackReader(d33).skip()).isInstanceOf(DecodeException.class);
    }

    @Test
    void limitsAreValidated() {
        assertThatThrownBy(() -> new DecodeLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecodeLimits(DecodeLimits.MAX_DEPTH + 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecodeLimits(1, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DecodeLimits(1, 1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new DecodeLimits(DecodeLimits.MAX_DEPTH, 0, 0).maxDepth()).isEqualTo(DecodeLimits.MAX_DEPTH);
    }

    @Test
    void structStyleDecodingSkipsUnknownKeysAndReadsToTheEnd() {
        // ping_unknown_key probe: {SeqNo:42, Node:"node-b", Extra:true}
        MsgpackReader r = new MsgpackReader(hex("83a55365714e6f2aa44e6f6465a66e6f64652d62a54578747261c3"));
        long seq = -1;
        String node = null;
        int n = r.readMapHeader();
        for (int i = 0; i < n; i++) {
            switch (r.readString()) {
                case "SeqNo" -> seq = r.readUint32();
                case "Node" -> node = r.readString();
                default -> r.skip();
            }
        }
        r.expectEnd();
        assertThat(seq).isEqualTo(42);
        assertThat(node).isEqualTo("node-b");
    }

    @Test
    void rawAccessors() {
        MsgpackReader r = new MsgpackReader(hex("c0 0102 a0 0304"));
        assertThat(r.tryReadNil()).isTrue();
        assertThat(r.tryReadNil()).isFalse();
        assertThat(r.readFixed(2)).containsExactly(1, 2);
        assertThat(r.peekFormat()).isEqualTo(MsgpackFormat.STRING);
        assertThat(r.peekByte()).isEqualTo(0xa0);
        assertThat(r.readEncodedValue()).containsExactly(0xa0);
        assertThat(r.remainingBytes()).containsExactly(3, 4);
        assertThat(r.remaining()).isEqualTo(2);
        assertThatThrownBy(r::expectEnd).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> r.readFixed(3)).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> r.readFixed(-1)).isInstanceOf(DecodeException.class);
        r.readFixed(2);
        assertThat(r.hasRemaining()).isFalse();
        r.expectEnd();
        assertThatThrownBy(r::peekByte).isInstanceOf(DecodeException.class);
        assertThat(r.tryReadNil()).isFalse();
    }

    @Test
    void readValueKeepsMapOrderAndKinds() {
        MsgValue v = new MsgpackReader(hex("83 a1 62 c4 01 ff a1 61 d9 01 78 01 93 c2 ca 3f800000 d4 01 07")).readValue();
        assertThat(v).isEqualTo(new MsgValue.Map(List.of(
                new MsgValue.Entry(MsgValue.Str.of("b"), new MsgValue.Bin(new byte[] {(byte) 0xff})),
                new MsgValue.Entry(MsgValue.Str.of("a"), MsgValue.Str.of("x")),
                new MsgValue.Entry(new MsgValue.Int(1, true), new MsgValue.Array(List.of(
                        new MsgValue.Bool(false), new MsgValue.Float(1.0, true), new MsgValue.Ext(1, new byte[] {7})))))));
        assertThat(((MsgValue.Map) v).get("a")).isEqualTo(MsgValue.Str.of("x"));
        assertThat(((MsgValue.Map) v).get("zz")).isNull();
        // Keys match by bytes, as Go matches field names: invalid UTF-8 is not the replacement character.
        MsgValue.Map odd = (MsgValue.Map) new MsgpackReader(hex("82 a1 ff 01 a3 efbfbd 02")).readValue();
        assertThat(odd.get("\uFFFD")).isEqualTo(new MsgValue.Int(2, true));
        assertThat(odd.get("\u00e9")).isNull();
    }
}
