package serf.api.internal.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static serf.api.internal.msg.SerfVectors.HEX;
import static serf.api.internal.msg.SerfVectors.canon;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import serf.api.internal.msg.SerfMessage.ConflictResponse;
import serf.api.internal.msg.SerfMessage.Join;
import serf.api.internal.msg.SerfMessage.KeyRequest;
import serf.api.internal.msg.SerfMessage.KeyResponse;
import serf.api.internal.msg.SerfMessage.Leave;
import serf.api.internal.msg.SerfMessage.MemberRecord;
import serf.api.internal.msg.SerfMessage.PushPull;
import serf.api.internal.msg.SerfMessage.Query;
import serf.api.internal.msg.SerfMessage.QueryResponse;
import serf.api.internal.msg.SerfMessage.Relay;
import serf.api.internal.msg.SerfMessage.UserEvent;
import serf.api.internal.msg.SerfMessage.UserEventCollection;
import serf.api.internal.msg.SerfMessage.UserEventData;
import serf.wire.DecodeException;
import serf.wire.MsgpackWriter;

/** Seeded random messages of every type survive encode/decode; and the decoder's Go leniencies. */
class SerfCodecRoundTripTest {

    private static final int ROUNDS = 400;

    @Test
    void randomMessagesOfEveryTypeRoundTrip() {
        Random rnd = new Random(0x5e7f);
        int[] perType = new int[10];
        for (int round = 0; round < ROUNDS; round++) {
            for (SerfMessageType t : SerfMessageType.values()) {
                SerfMessage m = random(t, rnd);
                byte[] raw = SerfCodec.encode(m);
                assertThat(raw[0]).isEqualTo((byte) t.code());
                SerfMessage back = SerfCodec.decode(raw, 0, raw.length);
                assertThat(canon(back)).as("%s round %d", t, round).isEqualTo(canon(m));
                assertThat(SerfCodec.encode(back)).isEqualTo(raw);
                perType[t.code()]++;
            }
        }
        assertThat(perType).containsOnly(ROUNDS);
    }

    @Test
    void decodesFromAnOffsetInsideALargerBuffer() {
        byte[] msg = SerfCodec.encode(new Join(7, "node-x"));
        byte[] buf = new byte[msg.length + 10];
        System.arraycopy(msg, 0, buf, 5, msg.length);
        assertThat(SerfCodec.decode(buf, 5, msg.length)).isEqualTo(new Join(7, "node-x"));
    }

    @Test
    void acceptsWhatGoAccepts() {
        // keys in any order, unknown keys skipped, str8/bin strings, a signed int for an unsigned field
        MsgpackWriter w = MsgpackWriter.rpc();
        w.writeByte(1).writeMapHeader(3);
        w.writeKey("Node").writeBin("n1".getBytes(StandardCharsets.UTF_8));
        w.writeKey("Extra").writeArrayHeader(2).writeNil().writeMapHeader(1).writeKey("x").writeBool(true);
        w.writeKey("LTime").writeByte(0xd3).writeRaw(new byte[] {0, 0, 0, 0, 0, 0, 0, 9});
        byte[] raw = w.toByteArray();
        assertThat(SerfCodec.decode(raw, 0, raw.length)).isEqualTo(new Join(9, "n1"));

        // missing keys are zero (a pre-prune leave has no Prune); trailing bytes are ignored
        byte[] leave = HEX.parseHex("0082a54c54696d6503a44e6f6465a567616d6d61" + "ffff");
        assertThat(SerfCodec.decode(leave, 0, leave.length)).isEqualTo(new Leave(3, "gamma", false));

        // a struct sent as an array in Go declaration order, extra elements skipped
        byte[] asArray = HEX.parseHex("0094" + "05" + "a3616263" + "c3" + "c0");
        assertThat(SerfCodec.decode(asArray, 0, asArray.length)).isEqualTo(new Leave(5, "abc", true));

        // nil everywhere a collection, string or bytes is expected; a nil struct is all zero
        byte[] nilQuery = HEX.parseHex("0483a441646472c0a746696c74657273c0a44e616d65c0");
        Query q = (Query) SerfCodec.decode(nilQuery, 0, nilQuery.length);
        assertThat(q.addr()).isNull();
        assertThat(q.filters()).isNull();
        assertThat(q.name()).isEmpty();
        assertThat(SerfCodec.decode(new byte[] {0, (byte) 0xc0}, 0, 2)).isEqualTo(new Leave(0, "", false));
        byte[] nilPushPull = HEX.parseHex("0283ac5374617475734c54696d6573c0ab4c6566744d656d62657273c0a64576656e7473c0");
        PushPull p = (PushPull) SerfCodec.decode(nilPushPull, 0, nilPushPull.length);
        assertThat(p.statusLTimes()).isEmpty();
        assertThat(p.leftMembers()).isEmpty();
        assertThat(p.events()).isEmpty();

        // IPv4 addresses in either form are kept as given
        for (String addr : List.of("7f000001", "00000000000000000000ffff7f000001")) {
            byte[] relay = SerfCodec.encode(new Relay(HEX.parseHex(addr), 7946, "", "a", new byte[] {5, (byte) 0xc0}));
            assertThat(((Relay) SerfCodec.decode(relay, 0, relay.length)).destAddr()).isEqualTo(HEX.parseHex(addr));
        }
    }

    @Test
    void nilPayloadAndEmptyPayloadStayDistinct() {
        byte[] nil = SerfCodec.encode(new UserEvent(8, "ping", null, false));
        byte[] empty = SerfCodec.encode(new UserEvent(8, "ping", new byte[0], false));
        assertThat(HEX.formatHex(nil)).endsWith("a75061796c6f6164c0");
        assertThat(HEX.formatHex(empty)).endsWith("a75061796c6f6164a0");
        assertThat(((UserEvent) SerfCodec.decode(nil, 0, nil.length)).payload()).isNull();
        assertThat(((UserEvent) SerfCodec.decode(empty, 0, empty.length)).payload()).isEmpty();
    }

    @Test
    void relayCarriesTheInnerMessageVerbatim() {
        byte[] inner = SerfCodec.encode(new QueryResponse(9, 305419896L, "node-b", 0, "up 5 days".getBytes(StandardCharsets.UTF_8)));
        byte[] relay = SerfCodec.encode(new Relay(new byte[] {127, 0, 0, 1}, 7946, "", "node-a", inner));
        assertThat(HEX.formatHex(relay)).isEqualTo(HEX.formatHex(SerfVectors.bytes(SerfVectors.message("go/relay_query_response"))));
        Relay back = (Relay) SerfCodec.decode(relay, 0, relay.length);
        assertThat(back.inner()).isEqualTo(inner);
    }

    @Test
    void refusesWhatGoRefuses() {
        for (String hex : List.of("", "0a80", "ff80", "01", "0192", "0181a54c54696d65a0", "0481a24944cf0000000100000000",
                "0481a4506f7274ce00010000", "0481ab52656c6179466163746f72cd0100", "0381a54c54696d65ff",
                "0581a5466c616773d0ff", "0281a64576656e74739182a64576656e747391a3616263")) {
            byte[] raw = HEX.parseHex(hex);
            assertThatThrownBy(() -> SerfCodec.decode(raw, 0, raw.length)).as(hex).isInstanceOf(DecodeException.class);
        }
        assertThatThrownBy(() -> SerfCodec.decodeKeyRequestPayload(new byte[0])).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> SerfCodec.decodeKeyRequestPayload(new byte[] {7})).isInstanceOf(DecodeException.class);
    }

    @Test
    void refusesToEncodeValuesOutsideTheirGoTypes() {
        assertThatThrownBy(() -> SerfCodec.encode(new QueryResponse(1, 1L << 32, "a", 0, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SerfCodec.encode(new Query(1, 1, null, 70000, "a", null, 0, 0, 0, "q", null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SerfCodec.encode(new Query(1, 1, null, 1, "a", null, 0, 256, 0, "q", null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodesMapsInSortedOrderSoBytesAreDeterministic() {
        Map<String, Long> a = new HashMap<>();
        Map<String, Long> b = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            a.put("n" + i, (long) i);
        }
        for (int i = 49; i >= 0; i--) {
            b.put("n" + i, (long) i);
        }
        byte[] x = SerfCodec.encode(new PushPull(1, a, List.of(), 1, List.of(), 1));
        byte[] y = SerfCodec.encode(new PushPull(1, b, List.of(), 1, List.of(), 1));
        assertThat(x).isEqualTo(y);
    }

    // ---- random messages ------------------------------------------------------------------------

    static SerfMessage random(SerfMessageType t, Random r) {
        return switch (t) {
            case LEAVE -> new Leave(lTime(r), str(r), r.nextBoolean());
            case JOIN -> new Join(lTime(r), str(r));
            case PUSH_PULL -> {
                Map<String, Long> status = new HashMap<>();
                for (int i = r.nextInt(20); i > 0; i--) {
                    status.put(str(r), lTime(r));
                }
                List<String> left = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    left.add(str(r));
                }
                List<UserEventCollection> ring = new ArrayList<>();
                int size = r.nextInt(10) == 0 ? 512 : r.nextInt(20);
                for (int i = 0; i < size; i++) {
                    if (r.nextInt(4) != 0) {
                        ring.add(null);
                        continue;
                    }
                    List<UserEventData> evs = new ArrayList<>();
                    for (int k = r.nextInt(3); k >= 0; k--) {
                        evs.add(new UserEventData(str(r), bytes(r)));
                    }
                    ring.add(new UserEventCollection(lTime(r), evs));
                }
                yield new PushPull(lTime(r), status, left, lTime(r), ring, lTime(r));
            }
            case USER_EVENT -> new UserEvent(lTime(r), str(r), bytes(r), r.nextBoolean());
            case QUERY -> {
                List<byte[]> filters = null;
                if (r.nextBoolean()) {
                    filters = new ArrayList<>();
                    filters.add(Filters.encode(new Filters.NodeFilter(List.of(str(r), str(r)))));
                    filters.add(Filters.encode(new Filters.TagFilter(str(r), str(r))));
                }
                yield new Query(lTime(r), r.nextLong(1L << 32), r.nextBoolean() ? new byte[] {127, 0, 0, 1} : bytes(r),
                        r.nextInt(65536), str(r), filters, r.nextLong(1L << 32), r.nextInt(256),
                        r.nextBoolean() ? r.nextLong() : r.nextInt(10_000_000), str(r), bytes(r));
            }
            case QUERY_RESPONSE -> new QueryResponse(lTime(r), r.nextLong(1L << 32), str(r), r.nextInt(2), bytes(r));
            case CONFLICT_RESPONSE -> {
                if (r.nextInt(5) == 0) {
                    yield new ConflictResponse(null);
                }
                Map<String, String> tags = new HashMap<>();
                for (int i = r.nextInt(6); i > 0; i--) {
                    tags.put(str(r), str(r));
                }
                yield new ConflictResponse(new MemberRecord(str(r), bytes(r), r.nextInt(65536), tags,
                        r.nextInt(5) - (r.nextInt(10) == 0 ? 1000 : 0), r.nextInt(256), r.nextInt(256),
                        r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            }
            case KEY_REQUEST -> new KeyRequest(r.nextInt(4) == 0 ? null : bytes(r));
            case KEY_RESPONSE -> {
                List<String> keys = null;
                if (r.nextBoolean()) {
                    keys = new ArrayList<>();
                    for (int i = r.nextInt(5); i > 0; i--) {
                        keys.add(str(r));
                    }
                }
                yield new KeyResponse(r.nextBoolean(), str(r), keys, str(r));
            }
            case RELAY -> new Relay(bytes(r), r.nextInt(), str(r), str(r),
                    SerfCodec.encode(random(r.nextBoolean() ? SerfMessageType.QUERY_RESPONSE : SerfMessageType.JOIN, r)));
        };
    }

    private static long lTime(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextInt(128);
            case 1 -> r.nextInt(70000);
            case 2 -> r.nextLong() >>> 1;
            default -> r.nextLong(); // full uint64 range
        };
    }

    private static String str(Random r) {
        int n = switch (r.nextInt(5)) {
            case 0 -> 0;
            case 1 -> 31 + r.nextInt(3); // fixstr / raw16 boundary
            case 2 -> r.nextInt(300);
            default -> r.nextInt(12);
        };
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(r.nextInt(10) == 0 ? (char) ('\u00e0' + r.nextInt(20)) : (char) ('a' + r.nextInt(26)));
        }
        return b.toString();
    }

    private static byte[] bytes(Random r) {
        if (r.nextInt(5) == 0) {
            return null;
        }
        byte[] b = new byte[r.nextInt(100) == 0 ? 65530 + r.nextInt(10) : r.nextInt(40)]; // raw16/raw32 boundary now and then
        r.nextBytes(b);
        return b;
    }
}
