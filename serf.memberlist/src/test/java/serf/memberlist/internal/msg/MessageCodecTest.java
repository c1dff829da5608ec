package serf.memberlist.internal.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import serf.memberlist.internal.msg.Message.Ack;
import serf.memberlist.internal.msg.Message.Alive;
import serf.memberlist.internal.msg.Message.Dead;
import serf.memberlist.internal.msg.Message.Err;
import serf.memberlist.internal.msg.Message.IndirectPing;
import serf.memberlist.internal.msg.Message.Nack;
import serf.memberlist.internal.msg.Message.Ping;
import serf.memberlist.internal.msg.Message.PushNodeState;
import serf.memberlist.internal.msg.Message.PushPull;
import serf.memberlist.internal.msg.Message.Suspect;
import serf.memberlist.internal.msg.Message.User;
import serf.wire.DecodeException;
import serf.wire.MsgpackReader;

class MessageCodecTest {
    private static final Set<Integer> SINGLE_TYPES = Set.of(0, 1, 2, 3, 4, 5, 8, 11, 13);

    private static Map<String, Object> expectedFields(Map<String, Object> vector) {
        Map<String, Object> f = new LinkedHashMap<>(MsgVectors.map(vector.get("fields")));
        f.remove("type");
        f.keySet().removeIf(k -> k.endsWith("_decoded"));
        if (f.containsKey("UserMsgLen")) {
            f.remove("UserMsgLen");
        }
        return f;
    }

    @Test
    void decodesAndReencodesEverySingleMessageVector() {
        int checked = 0;
        for (Map<String, Object> v : MsgVectors.messages().values()) {
            byte[] wire = MsgVectors.hex(v.get("wire_hex"));
            String name = (String) v.get("name");
            if (v.containsKey("key_hex") || !SINGLE_TYPES.contains(wire[0] & 0xff) || name.equals("user_stream_plain")) {
                continue;
            }
            Message m = MessageCodec.decode(wire, 0, wire.length);
            assertThat(m.type().code()).isEqualTo(wire[0] & 0xff);
            assertThat(MsgVectors.fields(m)).as(name).isEqualTo(expectedFields(v));
            assertThat(MessageCodec.encode(m)).as(name).isEqualTo(wire);
            checked++;
        }
        assertThat(checked).isEqualTo(15);
    }

    @Test
    void decodesAtAnOffsetAndIgnoresTrailingBytes() {
        byte[] wire = MsgVectors.hex(MsgVectors.messages().get("nack").get("wire_hex"));
        byte[] padded = new byte[wire.length + 7];
        System.arraycopy(wire, 0, padded, 3, wire.length);
        padded[3 + wire.length] = (byte) 0xc1; // garbage after the value, as Go ignores it
        Message m = MessageCodec.decode(padded, 3, wire.length + 2);
        assertThat(m).isEqualTo(new Nack(43));
    }

    @Test
    void refusesFramingTypesUnknownTypesAndEmptyInput() {
        for (int t : new int[] {6, 7, 9, 10, 12, 14, 0x7f, 0xf4, 0xff}) {
            byte[] b = {(byte) t, (byte) 0x80};
            assertThatThrownBy(() -> MessageCodec.decode(b, 0, 2)).isInstanceOf(DecodeException.class)
                    .hasMessageContaining("not supported");
        }
        assertThatThrownBy(() -> MessageCodec.decode(new byte[1], 0, 0)).isInstanceOf(DecodeException.class);
        assertThat(MessageCodec.decode(new byte[] {8}, 0, 1)).isInstanceOfSatisfying(User.class,
                u -> assertThat(u.payload()).isEmpty());
    }

    // ---- decoder probes: what Go accepts, we accept, with the same field values ----------------

    @Test
    void decoderProbesMatchGo() {
        List<Object> probes = MsgVectors.list(MsgVectors.map(MsgVectors.load("decoder_probes.json")).get("probes"));
        int checked = 0;
        for (Object o : probes) {
            Map<String, Object> p = MsgVectors.map(o);
            String name = (String) p.get("name");
            byte[] body = MsgVectors.hex(p.get("input_hex"));
            boolean accepts = !Boolean.FALSE.equals(p.get("go_accepts"));
            Map<String, Object> decoded = p.get("decoded") == null ? null : MsgVectors.map(p.get("decoded"));
            if (name.startsWith("compound_")) {
                checkCompoundProbe(p, body);
            } else if (name.startsWith("pushpull_header_")) {
                MessageReader.PushPullHeader h = MessageReader.readPushPullHeader(new MsgpackReader(body));
                assertThat(h.join()).isEqualTo(decoded.get("Join"));
                assertThat(h.nodes()).isEqualTo(decoded.get("Nodes"));
                assertThat(h.userStateLen()).isEqualTo(decoded.get("UserStateLen"));
            } else {
                int type = name.startsWith("ping_") ? 0 : name.startsWith("alive_") ? 4 : name.startsWith("indirect_") ? 1 : -1;
                assertThat(type).as(name).isNotNegative();
                byte[] msg = new byte[body.length + 1];
                msg[0] = (byte) type;
                System.arraycopy(body, 0, msg, 1, body.length);
                if (!accepts) {
                    assertThatThrownBy(() -> MessageCodec.decode(msg, 0, msg.length)).as(name)
                            .isInstanceOf(DecodeException.class);
                } else {
                    Message m = MessageCodec.decode(msg, 0, msg.length);
                    assertThat(probeView(m, decoded.keySet())).as(name).isEqualTo(decoded);
                }
            }
            checked++;
        }
        assertThat(checked).isEqualTo(probes.size()).isGreaterThanOrEqualTo(20);
    }

    /** A decoded message in the probes' notation: nil and empty bytes both as "", Vsn as "[1 5 2 2 5 4]". */
    private static Map<String, Object> probeView(Message m, Set<String> keys) {
        Map<String, Object> f = new LinkedHashMap<>();
        switch (m) {
            case Ping p -> {
                f.put("Node", p.node());
                f.put("SeqNo", p.seqNo());
                f.put("SourceAddr", hexOrEmpty(p.sourceAddr()));
                f.put("SourceNode", p.sourceNode());
                f.put("SourcePort", (long) p.sourcePort());
            }
            case Alive a -> {
                f.put("Addr", hexOrEmpty(a.addr()));
                f.put("Incarnation", a.incarnation());
                f.put("Meta", hexOrEmpty(a.meta()));
                f.put("Node", a.node());
                f.put("Port", (long) a.port());
                StringBuilder vsn = new StringBuilder("[");
                if (a.vsn() != null) {
                    for (int i = 0; i < a.vsn().length; i++) {
                        vsn.append(i == 0 ? "" : " ").append(a.vsn()[i] & 0xff);
                    }
                }
                f.put("Vsn", vsn.append(']').toString());
            }
            case IndirectPing p -> {
                f.put("Nack", p.nack());
                f.put("SeqNo", p.seqNo());
            }
            default -> throw new AssertionError(m);
        }
        f.keySet().retainAll(keys);
        return f;
    }

    private static String hexOrEmpty(byte[] b) {
        return b == null ? "" : MsgVectors.hex(b);
    }

    private static void checkCompoundProbe(Map<String, Object> p, byte[] body) {
        byte[] packet = new byte[body.length + 1];
        packet[0] = 7;
        System.arraycopy(body, 0, packet, 1, body.length);
        // Parts "aabb" and "ccdd" are not valid messages, but they are complete: both reach the
        // message decoder (two problems), and the truncated third is reported as truncated.
        PacketCodec.Decoded d = PacketCodec.decode(packet);
        long parts = (Long) p.get("go_parts");
        long truncated = (Long) p.get("go_truncated");
        assertThat(d.problems()).hasSize((int) parts + 1);
        assertThat(d.problems().get((int) parts)).contains(truncated + " truncated");
    }

    // ---- encoder: exact Go form, and refusals --------------------------------------------------

    @Test
    void pingLeavesOutEmptySourceFields() {
        byte[] minimal = MessageCodec.encode(new Ping(7, "", null, 0, ""));
        assertThat(MsgVectors.hex(minimal)).isEqualTo("0082a44e6f6465a0a55365714e6f07");
        assertThat(MsgVectors.hex(MessageCodec.encode(new Ping(7, "", new byte[0], 0, null))))
                .isEqualTo("0082a44e6f6465a0a55365714e6f07");
        // Only the port set: 3 keys.
        byte[] portOnly = MessageCodec.encode(new Ping(1, "n", null, 80, ""));
        assertThat(portOnly[1] & 0xff).isEqualTo(0x83);
        Ping back = (Ping) MessageCodec.decode(portOnly, 0, portOnly.length);
        assertThat(back.sourcePort()).isEqualTo(80);
        assertThat(back.sourceAddr()).isNull();
    }

    @Test
    void encoderRefusesWhatWouldCrashOrNotFitGo() {
        byte[] addr = {127, 0, 0, 1};
        for (byte[] vsn : new byte[][] {null, {}, {1}, {1, 5, 2}, {1, 5, 2, 2, 5}, {1, 5, 2, 2, 5, 4, 0}}) {
            assertThatThrownBy(() -> MessageCodec.encode(new Alive(1, "n", addr, 7946, null, vsn)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Vsn");
            PushPull pp = new PushPull(false, List.of(new PushNodeState("n", addr, 1, null, 1, 0, vsn)), null);
            assertThatThrownBy(() -> StreamCodec.encodePushPull(pp)).isInstanceOf(IllegalArgumentException.class);
        }
        byte[] vsn = {1, 5, 2, 2, 5, 4};
        assertThatThrownBy(() -> MessageCodec.encode(new Alive(-1, "n", addr, 1, null, vsn)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageCodec.encode(new Alive(1L << 32, "n", addr, 1, null, vsn)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageCodec.encode(new Alive(1, "n", addr, 65536, null, vsn)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageCodec.encode(new Ping(-5, "n", null, 0, "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageCodec.encode(new Ping(5, "n", null, -1, "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageCodec.encode(new IndirectPing(1, addr, 70000, "n", true, null, 0, "")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageCodec.encode(new Ack(1L << 33, null)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageCodec.encode(new Nack(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageCodec.encode(new Suspect(-1, "a", "b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageCodec.encode(new Dead(1L << 32, "a", "b")))
                .isInstanceOf(IllegalArgumentException.class);
        for (int state : new int[] {-1, 4, 100}) {
            PushPull pp = new PushPull(false, List.of(new PushNodeState("n", addr, 1, null, 1, state, vsn)), null);
            assertThatThrownBy(() -> StreamCodec.encodePushPull(pp)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void decodeRefusesShortVsnAndCutsLongOnes() {
        byte[] vsn3 = MsgVectors.hex(MsgVectors.list(MsgVectors.map(MsgVectors.load("malformed.json")).get("cases"))
                .stream().map(MsgVectors::map).filter(c -> c.get("name").equals("alive_vsn_len3"))
                .findFirst().orElseThrow().get("wire_hex"));
        assertThatThrownBy(() -> MessageCodec.decode(vsn3, 0, vsn3.length)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("Vsn of 3 bytes");

        Alive a = new Alive(1, "n", new byte[] {1, 2, 3, 4}, 1, null, new byte[] {1, 5, 2, 2, 5, 4});
        byte[] wire = MessageCodec.encode(a);
        // Replace "a6 010502020504" by "a7 01050202050409": a 7-byte Vsn.
        String h = MsgVectors.hex(wire).replace("a6010502020504", "a701050202050409");
        byte[] seven = MsgVectors.hex(h);
        Alive back = (Alive) MessageCodec.decode(seven, 0, seven.length);
        assertThat(back.vsn()).containsExactly(1, 5, 2, 2, 5, 4);
        // An empty Vsn is what Go accepts (all versions 0): kept, for the state machine to judge.
        byte[] empty = MsgVectors.hex(MsgVectors.hex(wire).replace("a6010502020504", "a0"));
        assertThat(((Alive) MessageCodec.decode(empty, 0, empty.length)).vsn()).isEmpty();
        byte[] nil = MsgVectors.hex(MsgVectors.hex(wire).replace("a6010502020504", "c0"));
        assertThat(((Alive) MessageCodec.decode(nil, 0, nil.length)).vsn()).isNull();
    }

    @Test
    void stringFieldsRefuseBinButByteFieldsTakeIt() {
        // Err with its Error as bin8: Go rejects it.
        byte[] err = MsgVectors.hex("0d81a54572726f72c40161");
        assertThatThrownBy(() -> MessageCodec.decode(err, 0, err.length)).isInstanceOf(DecodeException.class);
        byte[] ok = MsgVectors.hex("0d81a54572726f72d90161");
        assertThat(MessageCodec.decode(ok, 0, ok.length)).isEqualTo(new Err("a"));
        // Ack payload as bin8 and as an array of ints.
        byte[] bin = MsgVectors.hex("0282a75061796c6f6164c4020102a55365714e6f01");
        assertThat(((Ack) MessageCodec.decode(bin, 0, bin.length)).payload()).containsExactly(1, 2);
        byte[] arr = MsgVectors.hex("0282a75061796c6f6164920102a55365714e6f01");
        assertThat(((Ack) MessageCodec.decode(arr, 0, arr.length)).payload()).containsExactly(1, 2);
        byte[] arrBad = MsgVectors.hex("0282a75061796c6f616492cd0100a55365714e6f01");
        assertThatThrownBy(() -> MessageCodec.decode(arrBad, 0, arrBad.length)).isInstanceOf(DecodeException.class);
    }

    // ---- random round trips --------------------------------------------------------------------

    @Test
    void randomMessagesOfEveryTypeRoundTrip() {
        Random rnd = new Random(1234);
        for (int i = 0; i < 5_000; i++) {
            Message m = randomMessage(rnd);
            byte[] wire = MessageCodec.encode(m);
            Message back = m instanceof PushPull
                    ? readStream(wire)
                    : MessageCodec.decode(wire, 0, wire.length);
            assertThat(MsgVectors.fields(back)).as("%s", m).isEqualTo(MsgVectors.fields(normalized(m)));
            assertThat(m instanceof PushPull ? StreamCodec.encodePushPull((PushPull) back) : MessageCodec.encode(back))
                    .isEqualTo(wire);
        }
    }

    private static Message readStream(byte[] wire) {
        try {
            return StreamCodec.read(new java.io.ByteArrayInputStream(wire), WireOptions.plain(), 1 << 20);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** What decoding gives back: nulls for omitted/empty Source* addr, "" for null strings, [] for null user payload. */
    private static Message normalized(Message m) {
        return switch (m) {
            case Ping p -> new Ping(p.seqNo(), nz(p.node()), emptyToNull(p.sourceAddr()), p.sourcePort(), nz(p.sourceNode()));
            case IndirectPing p -> new IndirectPing(p.seqNo(), p.target(), p.port(), nz(p.node()), p.nack(),
                    emptyToNull(p.sourceAddr()), p.sourcePort(), nz(p.sourceNode()));
            case User u -> new User(u.payload() == null ? new byte[0] : u.payload());
            case Suspect x -> new Suspect(x.incarnation(), nz(x.node()), nz(x.from()));
            case Dead x -> new Dead(x.incarnation(), nz(x.node()), nz(x.from()));
            case Alive a -> new Alive(a.incarnation(), nz(a.node()), a.addr(), a.port(), a.meta(), a.vsn());
            case Err e -> new Err(nz(e.error()));
            case PushPull p -> new PushPull(p.join(), p.nodes().stream().map(s -> new PushNodeState(nz(s.name()),
                    s.addr(), s.port(), s.meta(), s.incarnation(), s.state(), s.vsn())).toList(), emptyToNull(p.userState()));
            default -> m;
        };
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static byte[] emptyToNull(byte[] b) {
        return b == null || b.length == 0 ? null : b;
    }

    static Message randomMessage(Random rnd) {
        return switch (rnd.nextInt(10)) {
            case 0 -> new Ping(u32(rnd), str(rnd), bytes(rnd), rnd.nextInt(65536) * rnd.nextInt(2), str(rnd));
            case 1 -> new IndirectPing(u32(rnd), bytes(rnd), rnd.nextInt(65536), str(rnd), rnd.nextBoolean(),
                    bytes(rnd), rnd.nextInt(2) * rnd.nextInt(65536), str(rnd));
            case 2 -> new Ack(u32(rnd), bytes(rnd));
            case 3 -> new Nack(u32(rnd));
            case 4 -> new Suspect(u32(rnd), str(rnd), str(rnd));
            case 5 -> new Alive(u32(rnd), str(rnd), bytes(rnd), rnd.nextInt(65536), bytes(rnd), vsn(rnd));
            case 6 -> new Dead(u32(rnd), str(rnd), str(rnd));
            case 7 -> new User(rnd.nextInt(8) == 0 ? null : nonNull(bytes(rnd)));
            case 8 -> new Err(str(rnd));
            default -> {
                List<PushNodeState> nodes = new ArrayList<>();
                int n = rnd.nextInt(5);
                for (int i = 0; i < n; i++) {
                    nodes.add(new PushNodeState(str(rnd), bytes(rnd), rnd.nextInt(65536), bytes(rnd), u32(rnd),
                            rnd.nextInt(4), vsn(rnd)));
                }
                yield new PushPull(rnd.nextBoolean(), nodes, bytes(rnd));
            }
        };
    }

    private static long u32(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(128);
            case 1 -> 0xffffffffL - rnd.nextInt(3);
            default -> rnd.nextLong(1L << 32);
        };
    }

    private static String str(Random rnd) {
        int n = switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 31 + rnd.nextInt(3);
            case 2 -> 300;
            default -> rnd.nextInt(12);
        };
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(rnd.nextInt(20) == 0 ? 'é' : (char) ('a' + rnd.nextInt(26)));
        }
        String s = sb.toString();
        return rnd.nextInt(30) == 0 ? null : s;
    }

    private static byte[] bytes(Random rnd) {
        if (rnd.nextInt(6) == 0) {
            return null;
        }
        int n = rnd.nextInt(5) == 0 ? rnd.nextInt(70_000) : rnd.nextInt(20);
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    private static byte[] nonNull(byte[] b) {
        return b == null ? "x".getBytes(StandardCharsets.UTF_8) : b;
    }

    private static byte[] vsn(Random rnd) {
        byte[] v = new byte[6];
        rnd.nextBytes(v);
        return v;
    }
}
