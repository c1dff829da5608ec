package serf.api.internal.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static serf.api.internal.msg.SerfVectors.HEX;
import static serf.api.internal.msg.SerfVectors.list;
import static serf.api.internal.msg.SerfVectors.map;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import serf.api.coordinate.Coordinate;
import serf.api.coordinate.CoordinateCodec;
import serf.api.internal.msg.SerfMessage.Join;
import serf.api.internal.msg.SerfMessage.PushPull;
import serf.api.internal.msg.SerfMessage.QueryResponse;
import serf.api.internal.msg.SerfMessage.UserEvent;
import serf.crypto.Encryption;
import serf.wire.DecodeLimits;
import serf.wire.MsgpackReader;

/**
 * packets.json: whole memberlist packets and streams carrying Serf bytes. The memberlist layers are
 * peeled here by hand (CRC, compound, user message, push/pull framing, AES-GCM); the LZW layer is
 * taken from the decompressed bytes the vectors document. The Serf parts must decode, and re-encode
 * to the very bytes that were on the wire.
 */
class SerfPacketsTest {

    private static Map<String, Object> packet(String id) {
        return list(SerfVectors.load("packets.json")).stream().map(SerfVectors::map)
                .filter(p -> id.equals(p.get("id"))).findFirst().orElseThrow();
    }

    private static byte[] hex(Map<String, Object> p) {
        byte[] raw = HEX.parseHex((String) p.get("hex"));
        assertThat(raw).hasSize(((Number) p.get("length")).intValue());
        return raw;
    }

    /** The hex that follows {@code marker} in a packet's notes. */
    private static byte[] notesHex(Map<String, Object> p, String marker) {
        String notes = (String) p.get("notes");
        String rest = notes.substring(notes.indexOf(marker) + marker.length()).trim();
        int end = 0;
        while (end < rest.length() && Character.digit(rest.charAt(end), 16) >= 0) {
            end++;
        }
        return HEX.parseHex(rest.substring(0, end));
    }

    /** Strips the 0x0c CRC wrapper after checking the CRC32 (IEEE) of the rest. */
    private static byte[] uncrc(byte[] pkt) {
        assertThat(pkt[0]).isEqualTo((byte) 0x0c);
        CRC32 crc = new CRC32();
        crc.update(pkt, 5, pkt.length - 5);
        long want = ((pkt[1] & 0xffL) << 24) | ((pkt[2] & 0xff) << 16) | ((pkt[3] & 0xff) << 8) | (pkt[4] & 0xff);
        assertThat(crc.getValue()).isEqualTo(want);
        return Arrays.copyOfRange(pkt, 5, pkt.length);
    }

    private static SerfMessage userMessage(byte[] part) {
        assertThat(part[0]).as("memberlist user message").isEqualTo((byte) 8);
        SerfMessage m = SerfCodec.decode(part, 1, part.length - 1);
        assertThat(SerfCodec.encode(m)).isEqualTo(Arrays.copyOfRange(part, 1, part.length));
        return m;
    }

    @Test
    void gossipCompoundWithAliveMetaAndJoinIntent() {
        byte[] inner = uncrc(hex(packet("udp_gossip_crc_compound_alive_join")));
        assertThat(inner[0]).as("compound").isEqualTo((byte) 7);
        int n = inner[1] & 0xff;
        assertThat(n).isEqualTo(2);
        int at = 2 + 2 * n;
        byte[][] parts = new byte[n][];
        for (int i = 0; i < n; i++) {
            int len = ((inner[2 + 2 * i] & 0xff) << 8) | (inner[3 + 2 * i] & 0xff);
            parts[i] = Arrays.copyOfRange(inner, at, at + len);
            at += len;
        }
        assertThat(at).isEqualTo(inner.length);

        // part 1: memberlist alive; its Meta is the Serf tags
        assertThat(parts[0][0]).isEqualTo((byte) 4);
        byte[] meta = aliveMeta(parts[0]);
        assertThat(Tags.decodeMeta(meta)).containsExactly(Map.entry("role", "cache"));
        assertThat(Tags.encodeMeta(Map.of("role", "cache"), 5)).isEqualTo(meta);

        // part 2: user message = Serf join intent
        assertThat(userMessage(parts[1])).isEqualTo(new Join(2, "gamma"));
    }

    private static byte[] aliveMeta(byte[] alive) {
        MsgpackReader r = new MsgpackReader(alive, 1, alive.length - 1, DecodeLimits.DEFAULT);
        byte[][] meta = {null};
        GoStruct.read(r, List.of(), (f, v) -> {
            if (f.equals("Meta")) {
                meta[0] = v.readBytes();
            } else {
                v.skip();
            }
        });
        return meta[0];
    }

    @Test
    void gossipSingleUserEventHasNoCompoundWrapper() {
        byte[] inner = uncrc(hex(packet("udp_gossip_crc_user_event")));
        UserEvent e = (UserEvent) userMessage(inner);
        assertThat(e.lTime()).isEqualTo(1);
        assertThat(e.name()).isEqualTo("deploy");
        assertThat(e.payload()).asString().isEqualTo("v1.2.3");
        assertThat(e.cc()).isTrue();
    }

    @Test
    void directQueryResponseHasNoCrc() {
        QueryResponse r = (QueryResponse) userMessage(hex(packet("udp_direct_query_response_no_crc")));
        assertThat(r.from()).isEqualTo("beta");
        assertThat(r.id()).isEqualTo(0x7fdb2a5eL);
        assertThat(r.ack()).isFalse();
        assertThat(new String(r.payload(), StandardCharsets.UTF_8)).isEqualTo("beta-up");
    }

    @Test
    void ackCarriesTheCoordinatePayload() {
        byte[] ack = notesHex(packet("udp_compressed_ack_with_coordinate"), "inner (decompressed) hex:");
        assertThat(ack[0]).as("memberlist ack").isEqualTo((byte) 2);
        MsgpackReader r = new MsgpackReader(ack, 1, ack.length - 1, DecodeLimits.DEFAULT);
        byte[][] payload = {null};
        GoStruct.read(r, List.of(), (f, v) -> {
            if (f.equals("Payload")) {
                payload[0] = v.readBytes();
            } else {
                v.skip();
            }
        });
        Coordinate c = CoordinateCodec.decode(payload[0]);
        assertThat(c.error()).isEqualTo(1.5);
        assertThat(c.height()).isEqualTo(1.0e-5);
        assertThat(c.vec()).hasSize(8).containsOnly(0.0);
        assertThat(CoordinateCodec.encode(c)).isEqualTo(payload[0]);
    }

    @Test
    void encryptedKeyListResponse() throws Exception {
        Map<String, Object> p = packet("udp_encrypted_key_list_response");
        byte[] key = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] plain = Encryption.decrypt(List.of(key), hex(p), new byte[0]);
        assertThat(plain).isEqualTo(notesHex(p, "plaintext hex:"));
        QueryResponse r = (QueryResponse) userMessage(plain);
        SerfMessage.KeyResponse k = (SerfMessage.KeyResponse) SerfCodec.decode(r.payload(), 0, r.payload().length);
        assertThat(k.result()).isTrue();
        assertThat(k.keys()).containsExactly("AAECAwQFBgcICQoLDA0ODw==", "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZX",
                "EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8=");
        assertThat(k.primaryKey()).isEqualTo("AAECAwQFBgcICQoLDA0ODw==");
        assertThat(SerfCodec.encode(k)).isEqualTo(r.payload());
    }

    @Test
    void pushPullStreamEndsWithTheSerfUserState() {
        byte[] stream = notesHex(packet("tcp_push_pull_reply_compressed"), "decompressed stream hex:");
        assertThat(stream[0]).as("memberlist push/pull").isEqualTo((byte) 6);
        MsgpackReader r = new MsgpackReader(stream, 1, stream.length - 1, DecodeLimits.DEFAULT);
        Map<String, Long> header = new HashMap<>();
        GoStruct.read(r, List.of(), (f, v) -> {
            switch (f) {
                case "Nodes", "UserStateLen" -> header.put(f, v.readLong());
                default -> v.skip();
            }
        });
        Map<String, Map<String, String>> tagsByNode = new HashMap<>();
        for (long i = 0; i < header.get("Nodes"); i++) {
            String[] name = {""};
            byte[][] meta = {null};
            GoStruct.read(r, List.of(), (f, v) -> {
                switch (f) {
                    case "Name" -> name[0] = v.readString();
                    case "Meta" -> meta[0] = v.readBytes();
                    default -> v.skip();
                }
            });
            tagsByNode.put(name[0], Tags.decodeMeta(meta[0]));
        }
        assertThat(tagsByNode.get("beta")).isEqualTo(Map.of("role", "db", "version", "2"));
        assertThat(tagsByNode.get("alpha")).containsEntry("role", "web");

        byte[] state = r.remainingBytes();
        assertThat((long) state.length).isEqualTo(header.get("UserStateLen"));
        PushPull pp = (PushPull) SerfCodec.decode(state, 0, state.length);
        assertThat(pp.lTime()).isEqualTo(4);
        assertThat(pp.eventLTime()).isEqualTo(3);
        assertThat(pp.queryLTime()).isEqualTo(5);
        assertThat(pp.leftMembers()).containsExactly("gamma");
        assertThat(pp.statusLTimes()).isEqualTo(Map.of("alpha", 0L, "beta", 1L, "gamma", 3L));
        assertThat(pp.events()).hasSize(512);
        // StatusLTimes came in Go's random order; everything else re-encodes to the same bytes
        assertThat(SerfCodec.encode(pp)).hasSameSizeAs(state);
        assertThat(SerfVectors.canon(SerfCodec.decode(SerfCodec.encode(pp), 0, state.length))).isEqualTo(SerfVectors.canon(pp));
        assertThat(map(SerfVectors.canon(pp)).get("type")).isEqualTo(2);
    }
}
