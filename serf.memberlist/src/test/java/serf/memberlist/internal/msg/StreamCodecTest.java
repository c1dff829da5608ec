package serf.memberlist.internal.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import serf.crypto.Keyring;
import serf.memberlist.internal.msg.Message.Ack;
import serf.memberlist.internal.msg.Message.Err;
import serf.memberlist.internal.msg.Message.Ping;
import serf.memberlist.internal.msg.Message.PushNodeState;
import serf.memberlist.internal.msg.Message.PushPull;
import serf.memberlist.internal.msg.Message.User;
import serf.wire.DecodeException;

class StreamCodecTest {
    private static final int MAX = 20 * 1024 * 1024;
    private static final byte[] KEY = MsgVectors.hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] OTHER_KEY = MsgVectors.hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");

    static Message read(byte[] wire, WireOptions o) throws IOException, StreamRejectedException {
        return StreamCodec.read(new ByteArrayInputStream(wire), o, MAX);
    }

    private static WireOptions options(Map<String, Object> v, boolean compression) {
        Keyring ring = v.get("key_hex") == null ? null : Keyring.of(List.of(), MsgVectors.hex(v.get("key_hex")));
        int version = v.get("encryption_version") == null ? 1 : ((Long) v.get("encryption_version")).intValue();
        String label = (String) v.get("label");
        return new WireOptions(compression, ring, version, true, true,
                label == null ? null : label.getBytes(StandardCharsets.UTF_8), false);
    }

    // ---- messages.json -------------------------------------------------------------------------

    @Test
    void everyStreamVectorReadsToItsFieldsAndIsWrittenByteForByte() throws Exception {
        Map<String, Map<String, Object>> all = MsgVectors.messages();
        byte[] pushPullPlain = MsgVectors.hex(all.get("pushpull_stream_plain").get("wire_hex"));
        Map<String, Object> pushPullFields = new java.util.LinkedHashMap<>(
                MsgVectors.map(all.get("pushpull_stream_plain").get("fields")));
        pushPullFields.remove("type");
        int checked = 0;
        for (Map<String, Object> v : all.values()) {
            if (!"stream".equals(v.get("kind"))) {
                continue;
            }
            String name = (String) v.get("name");
            byte[] wire = MsgVectors.hex(v.get("wire_hex"));
            Message m = read(wire, options(v, false));
            byte[] again;
            if (name.startsWith("pushpull") || name.startsWith("labeled_pushpull")) {
                assertThat(MsgVectors.fields(m)).as(name).isEqualTo(pushPullFields);
                assertThat(StreamCodec.encodePushPull((PushPull) m)).isEqualTo(pushPullPlain);
                boolean compressed = !name.equals("pushpull_stream_plain");
                byte[] nonce = v.get("nonce_hex") == null ? null : MsgVectors.hex(v.get("nonce_hex"));
                again = StreamCodec.frame(pushPullPlain, options(v, compressed), nonce);
            } else if (name.equals("user_stream_plain")) {
                assertThat(m).isInstanceOfSatisfying(User.class,
                        u -> assertThat(MsgVectors.hex(u.payload())).isEqualTo(MsgVectors.map(v.get("fields")).get("body")));
                again = StreamCodec.encodeUserStream(((User) m).payload());
            } else {
                assertThat(m).isEqualTo(new Err("Encryption is configured but remote state is not encrypted"));
                again = StreamCodec.frame(MessageCodec.encode(m), WireOptions.plain(), null);
            }
            assertThat(again).as(name).isEqualTo(wire);
            checked++;
        }
        assertThat(checked).isEqualTo(9);
    }

    @Test
    void labeledStreamAuthenticatesTheLabelAfterTheHeader() throws Exception {
        Map<String, Object> v = MsgVectors.messages().get("labeled_pushpull_stream_encrypted_aes256_v1");
        byte[] wire = MsgVectors.hex(v.get("wire_hex"));
        assertThat(MsgVectors.hex(Arrays.copyOf(wire, 16))).isEqualTo("f409636c75737465722d310a000000d7");
        WireOptions labeled = options(v, false);
        assertThat(read(wire, labeled)).isInstanceOf(PushPull.class);
        // No label configured: refused, without an err reply (Go closes such connections).
        WireOptions unlabeled = new WireOptions(false, labeled.keyring(), 1, true, true, null, false);
        assertThatThrownBy(() -> read(wire, unlabeled)).isInstanceOfSatisfying(StreamRejectedException.class,
                e -> assertThat(e.sendErrReply()).isFalse());
        // The label is authenticated: the same blob under another label of equal length fails to decrypt.
        byte[] relabeled = wire.clone();
        relabeled[10] = '2';
        WireOptions other = new WireOptions(false, labeled.keyring(), 1, true, true,
                "cluster-2".getBytes(StandardCharsets.UTF_8), false);
        assertThatThrownBy(() -> read(relabeled, other)).isInstanceOfSatisfying(StreamRejectedException.class,
                e -> {
                    assertThat(e).hasMessage("No installed keys could decrypt the message");
                    assertThat(e.sendErrReply()).isTrue();
                });
    }

    // ---- captures ------------------------------------------------------------------------------

    private static final Set<String> GO_PORTS = Set.of("7946", "7947", "7948", "27946", "7956", "7957");

    @Test
    void everyCapturedStreamReadsAsGoSentIt() throws Exception {
        int checked = 0;
        int rebuilt = 0;
        for (Path p : MsgVectors.captures()) {
            String file = p.getFileName().toString();
            Map<String, Object> cap = MsgVectors.loadCapture(p);
            Keyring ring = MsgVectors.keyring(MsgVectors.list(cap.get("keys_hex")));
            boolean compression = !file.startsWith("memberlist_") && !file.contains("no_compression");
            for (Object o : MsgVectors.list(cap.get("tcp"))) {
                Map<String, Object> t = MsgVectors.map(o);
                String summary = (String) t.get("summary");
                byte[] wire = MsgVectors.hex(t.get("wire_hex"));
                int version = wire[0] == 0x0a ? wire[5] : 1;
                WireOptions opts = new WireOptions(compression, ring, version, true, true, null, false);
                if (summary.startsWith("NOT ENCRYPTED")) {
                    assertThatThrownBy(() -> read(wire, opts)).isInstanceOfSatisfying(StreamRejectedException.class, e -> {
                        assertThat(e).hasMessage("Encryption is configured but remote state is not encrypted");
                        assertThat(e.sendErrReply()).isTrue();
                    });
                    checked++;
                    continue;
                }
                if (summary.startsWith("encrypted with a key not in the list")) {
                    assertThatThrownBy(() -> read(wire, opts)).isInstanceOfSatisfying(StreamRejectedException.class,
                            e -> assertThat(e).hasMessage("No installed keys could decrypt the message"));
                    checked++;
                    continue;
                }
                Message m = read(wire, opts);
                List<String> wrappers = new ArrayList<>();
                assertThat(List.of(MsgVectors.summary(m))).as("%s %s", file, summary)
                        .isEqualTo(MsgVectors.flatten(summary, wrappers));
                checked++;
                String srcPort = ((String) t.get("src")).substring(((String) t.get("src")).lastIndexOf(':') + 1);
                if (file.startsWith("interop_python") && !GO_PORTS.contains(srcPort)) {
                    continue; // sent by the spec-based client, not by Go
                }
                byte[] message = m instanceof PushPull pp ? StreamCodec.encodePushPull(pp) : MessageCodec.encode(m);
                byte[] nonce = wire[0] == 0x0a ? Arrays.copyOfRange(wire, 6, 18) : null;
                assertThat(StreamCodec.frame(message, opts, nonce)).as("%s %s", file, summary).isEqualTo(wire);
                rebuilt++;
            }
        }
        assertThat(checked).isEqualTo(34);
        assertThat(rebuilt).isGreaterThanOrEqualTo(26);
    }

    // ---- refusals Go answers with an err reply -------------------------------------------------

    @Test
    void encryptionMismatchesAreRejectedWithGoText() throws Exception {
        byte[] ping = MessageCodec.encode(new Ping(4, "n", null, 0, ""));
        WireOptions enc = new WireOptions(true, Keyring.of(List.of(), KEY), 1, true, true, null, false);
        WireOptions lax = new WireOptions(true, Keyring.of(List.of(), KEY), 1, false, true, null, false);
        byte[] plain = StreamCodec.frame(ping, WireOptions.plain(), null);
        byte[] sealed = StreamCodec.frame(ping, enc, null);

        assertThatThrownBy(() -> read(plain, enc)).isInstanceOfSatisfying(StreamRejectedException.class, e -> {
            assertThat(e).hasMessage("Encryption is configured but remote state is not encrypted");
            assertThat(e.sendErrReply()).isTrue();
        });
        assertThat(read(plain, lax)).isEqualTo(new Ping(4, "n", null, 0, ""));
        assertThatThrownBy(() -> read(sealed, WireOptions.plain())).isInstanceOfSatisfying(StreamRejectedException.class,
                e -> assertThat(e).hasMessage("Remote state is encrypted and encryption is not configured"));
        WireOptions wrong = new WireOptions(false, Keyring.of(List.of(), OTHER_KEY), 1, true, true, null, false);
        assertThatThrownBy(() -> read(sealed, wrong)).isInstanceOfSatisfying(StreamRejectedException.class,
                e -> assertThat(e).hasMessage("No installed keys could decrypt the message"));
        assertThat(read(sealed, enc)).isEqualTo(new Ping(4, "n", null, 0, ""));

        // Length above 20 MiB: refused before reading (Go's text).
        byte[] huge = MsgVectors.hex("0a01400001" + "01");
        assertThatThrownBy(() -> read(huge, enc)).isInstanceOfSatisfying(StreamRejectedException.class,
                e -> assertThat(e).hasMessage("Remote node state is larger than limit (20971521)"));
        // The header is authenticated: a blob moved under another length fails.
        byte[] tampered = sealed.clone();
        tampered[4]++;
        byte[] longer = Arrays.copyOf(tampered, tampered.length + 1);
        assertThatThrownBy(() -> read(longer, enc)).isInstanceOf(StreamRejectedException.class);
        // Truncated blob: the stream just ended.
        assertThatThrownBy(() -> read(Arrays.copyOf(sealed, sealed.length - 1), enc)).isInstanceOf(DecodeException.class);
    }

    @Test
    void labelRulesOnStreams() throws Exception {
        byte[] ack = MessageCodec.encode(new Ack(9, null));
        byte[] label = "dc1".getBytes(StandardCharsets.UTF_8);
        WireOptions labeled = new WireOptions(false, null, 1, true, true, label, false);
        WireOptions skipping = new WireOptions(false, null, 1, true, true, label, true);
        byte[] withLabel = StreamCodec.frame(ack, labeled, null);
        assertThat(MsgVectors.hex(withLabel)).startsWith("f403646331");
        assertThat(read(withLabel, labeled)).isEqualTo(new Ack(9, null));
        assertThatThrownBy(() -> read(withLabel, WireOptions.plain())).isInstanceOf(StreamRejectedException.class);
        assertThatThrownBy(() -> read(ack, labeled)).isInstanceOfSatisfying(StreamRejectedException.class,
                e -> assertThat(e.sendErrReply()).isFalse());
        assertThat(read(ack, skipping)).isEqualTo(new Ack(9, null));
        assertThatThrownBy(() -> read(withLabel, skipping)).isInstanceOf(StreamRejectedException.class);
        // Truncated or empty label headers are malformed.
        for (String h : new String[] {"f4", "f400", "f40564"}) {
            assertThatThrownBy(() -> read(MsgVectors.hex(h), labeled)).isInstanceOf(DecodeException.class);
        }
        // A label and then nothing: the peer closed; nothing to answer.
        assertThat(read(MsgVectors.hex("f403646331"), labeled)).isNull();
    }

    @Test
    void closedBeforeTheFirstByteIsNull() throws Exception {
        assertThat(read(new byte[0], WireOptions.plain())).isNull();
    }

    // ---- malformed.json and bounds -------------------------------------------------------------

    @Test
    void malformedStreamsAreRefused() {
        for (Object o : MsgVectors.list(MsgVectors.map(MsgVectors.load("malformed.json")).get("cases"))) {
            Map<String, Object> c = MsgVectors.map(o);
            if (!"tcp".equals(c.get("transport"))) {
                continue;
            }
            byte[] wire = MsgVectors.hex(c.get("wire_hex"));
            switch ((String) c.get("name")) {
                case "stream_compress_empty" -> assertThatThrownBy(() -> read(wire, WireOptions.plain()))
                        .isInstanceOf(StreamRejectedException.class).hasMessage("decompressed message is empty");
                case "stream_unknown_type" -> assertThatThrownBy(() -> read(wire, WireOptions.plain()))
                        .isInstanceOf(DecodeException.class).hasMessageContaining("Received invalid msgType (14)");
                case "stream_pushpull_negative_nodes" -> assertThatThrownBy(() -> read(wire, WireOptions.plain()))
                        .isInstanceOf(DecodeException.class).hasMessageContaining("number of nodes");
                default -> throw new AssertionError(c.get("name"));
            }
        }
    }

    @Test
    void lengthsAreCheckedBeforeAnythingIsAllocated() throws Exception {
        // User message claiming 2 GiB: refused from the header alone.
        byte[] bigUser = MsgVectors.hex("0881aa557365724d73674c656ece7fffffff");
        assertThatThrownBy(() -> read(bigUser, WireOptions.plain())).isInstanceOf(DecodeException.class)
                .hasMessageContaining("exceeds limit");
        // A user message just under the limit but with the bytes missing: truncated, nothing huge allocated.
        byte[] shortUser = MsgVectors.hex("0881aa557365724d73674c656ece00100000" + "6162");
        assertThatThrownBy(() -> StreamCodec.read(new ByteArrayInputStream(shortUser), WireOptions.plain(), 2 << 20))
                .isInstanceOf(DecodeException.class).hasMessageContaining("stream ended");
        // A negative UserMsgLen is "nothing follows" in Go 0.2.2.
        assertThat(read(MsgVectors.hex("0881aa557365724d73674c656eff"), WireOptions.plain()))
                .isInstanceOfSatisfying(User.class, u -> assertThat(u.payload()).isEmpty());
        // Push/pull user state over the limit, and node counts over the cap.
        byte[] bigState = MsgVectors.hex("0683a44a6f696ec2a54e6f64657300ac5573657253746174654c656ece00200001");
        assertThatThrownBy(() -> StreamCodec.read(new ByteArrayInputStream(bigState), WireOptions.plain(), 2 << 20))
                .isInstanceOf(DecodeException.class).hasMessageContaining("user state length");
        byte[] manyNodes = MsgVectors.hex("0683a44a6f696ec2a54e6f646573ce7fffffffac5573657253746174654c656e00");
        assertThatThrownBy(() -> read(manyNodes, WireOptions.plain())).isInstanceOf(DecodeException.class)
                .hasMessageContaining("number of nodes");
        // Nodes declared but absent.
        byte[] missing = MsgVectors.hex("0683a44a6f696ec2a54e6f64657305ac5573657253746174654c656e00");
        assertThatThrownBy(() -> read(missing, WireOptions.plain())).isInstanceOf(DecodeException.class)
                .hasMessageContaining("pushNodeState 1 of 5");
        // A msgpack string claiming 4 GiB inside a node state: refused without waiting for it.
        byte[] bigString = MsgVectors.hex("0683a44a6f696ec2a54e6f64657301ac5573657253746174654c656e00" + "81a44e616d65dbffffffff");
        assertThatThrownBy(() -> read(bigString, WireOptions.plain())).isInstanceOf(DecodeException.class)
                .hasMessageContaining("exceeds the stream limit");
        // A compressed stream that inflates past the limit.
        byte[] zeros = new byte[3 << 20];
        zeros[0] = 8;
        byte[] bomb = StreamCodec.frame(zeros, new WireOptions(true, null, 1, true, true, null, false), null);
        assertThat(bomb.length).isLessThan(40_000);
        assertThatThrownBy(() -> StreamCodec.read(new ByteArrayInputStream(bomb), WireOptions.plain(), 512 * 1024))
                .isInstanceOf(StreamRejectedException.class).hasMessageContaining("exceeds the limit");
        // Compress inside compress is not unwrapped (Go unwraps one level).
        byte[] twice = MessageCodec.encodeCompress(Lzw.compress(MessageCodec.encodeCompress(Lzw.compress(
                MessageCodec.encode(new Ack(1, null))))));
        assertThatThrownBy(() -> read(twice, WireOptions.plain())).isInstanceOf(DecodeException.class)
                .hasMessageContaining("invalid msgType (9)");
        // Deeply nested msgpack in an unknown key: bounded depth.
        StringBuilder deep = new StringBuilder("0081a158");
        deep.append("91".repeat(200)).append("00");
        assertThatThrownBy(() -> read(MsgVectors.hex(deep.toString()), WireOptions.plain()))
                .isInstanceOf(DecodeException.class).hasMessageContaining("deeper");
        // Unknown algorithm.
        byte[] algo = MsgVectors.hex("0982a4416c676f01a3427566a3000302");
        assertThatThrownBy(() -> read(algo, WireOptions.plain())).isInstanceOf(StreamRejectedException.class)
                .hasMessageContaining("unknown algorithm 1");
    }

    @Test
    void plainStreamsAreReadExactlyAndNotPastTheMessage() throws Exception {
        byte[] pp = MsgVectors.hex(MsgVectors.messages().get("pushpull_stream_plain").get("wire_hex"));
        byte[] user = StreamCodec.encodeUserStream("hi".getBytes(StandardCharsets.UTF_8));
        byte[] both = new byte[pp.length + user.length];
        System.arraycopy(pp, 0, both, 0, pp.length);
        System.arraycopy(user, 0, both, pp.length, user.length);
        InputStream in = new ByteArrayInputStream(both);
        assertThat(StreamCodec.read(in, WireOptions.plain(), MAX)).isInstanceOf(PushPull.class);
        assertThat(in.available()).isEqualTo(user.length);
        assertThat(StreamCodec.read(in, WireOptions.plain(), MAX)).isInstanceOfSatisfying(User.class,
                u -> assertThat(u.payload()).isEqualTo("hi".getBytes(StandardCharsets.UTF_8)));
        assertThat(StreamCodec.read(in, WireOptions.plain(), MAX)).isNull();
    }

    @Test
    void writeSendsOneBufferAndFlushes() throws Exception {
        List<Integer> writes = new ArrayList<>();
        int[] flushes = {0};
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) {
                writes.add(1);
                sink.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
                sink.write(b, off, len);
            }

            @Override
            public void flush() {
                flushes[0]++;
            }
        };
        WireOptions enc = new WireOptions(true, Keyring.of(List.of(), KEY), 1, true, true, "x".getBytes(), false);
        byte[] msg = StreamCodec.encodeUserStream(new byte[100]);
        StreamCodec.write(out, msg, enc);
        assertThat(writes).hasSize(1);
        assertThat(flushes[0]).isEqualTo(1);
        assertThat(read(sink.toByteArray(), enc)).isInstanceOfSatisfying(User.class,
                u -> assertThat(u.payload()).hasSize(100));
        // Compression is always applied on streams, even when longer (Go's rawSendMsgStream).
        byte[] ack = MessageCodec.encode(new Ack(1, null));
        byte[] framed = StreamCodec.frame(ack, new WireOptions(true, null, 1, true, true, null, false), null);
        assertThat(framed.length).isGreaterThan(ack.length);
        assertThat(framed[0]).isEqualTo((byte) 9);
        assertThatThrownBy(() -> StreamCodec.frame(new byte[0], WireOptions.plain(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- random round trips through every option ----------------------------------------------

    @Test
    void randomStreamMessagesRoundTripUnderEveryOption() throws Exception {
        Random rnd = new Random(99);
        Keyring ring = Keyring.of(List.of(OTHER_KEY), KEY);
        for (int i = 0; i < 2_000; i++) {
            Message m;
            byte[] wire;
            do {
                m = MessageCodecTest.randomMessage(rnd);
            } while (!(m instanceof Ping || m instanceof Ack || m instanceof Err || m instanceof User || m instanceof PushPull));
            if (m instanceof User u) {
                byte[] payload = u.payload() == null ? new byte[0] : u.payload();
                m = new User(payload);
                wire = StreamCodec.encodeUserStream(payload);
            } else {
                wire = MessageCodec.encode(m);
            }
            byte[] label = rnd.nextInt(4) == 0 ? "lbl".getBytes(StandardCharsets.UTF_8) : null;
            WireOptions o = new WireOptions(rnd.nextBoolean(), rnd.nextBoolean() ? ring : null, rnd.nextInt(2),
                    true, true, label, false);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StreamCodec.write(out, wire, o);
            Message back = read(out.toByteArray(), o);
            byte[] again = back instanceof PushPull pp ? StreamCodec.encodePushPull(pp)
                    : back instanceof User u ? StreamCodec.encodeUserStream(u.payload()) : MessageCodec.encode(back);
            assertThat(again).as("%s with %s", m, o).isEqualTo(wire);
        }
    }

    @Test
    void pushPullKeepsItsNodesAndUserState() throws Exception {
        byte[] vsn = {1, 5, 2, 2, 5, 5};
        PushPull p = new PushPull(true, List.of(
                new PushNodeState("a", new byte[] {127, 0, 0, 1}, 7946, null, 1, 0, vsn),
                new PushNodeState("b", new byte[16], 7947, new byte[] {1}, 70000, 3, vsn)), null);
        byte[] wire = StreamCodec.encodePushPull(p);
        PushPull back = (PushPull) read(wire, WireOptions.plain());
        assertThat(back.userState()).isNull();
        assertThat(back.join()).isTrue();
        assertThat(back.nodes()).hasSize(2);
        assertThat(back.nodes().get(1).state()).isEqualTo(3);
        assertThat(back.nodes().get(1).incarnation()).isEqualTo(70000);
        assertThat(StreamCodec.encodePushPull(back)).isEqualTo(wire);
        assertThat(MessageCodec.encode(p)).isEqualTo(wire);
    }
}
