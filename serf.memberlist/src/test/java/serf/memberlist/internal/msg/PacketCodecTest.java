package serf.memberlist.internal.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import serf.crypto.Keyring;
import serf.memberlist.internal.msg.Message.Nack;
import serf.memberlist.internal.msg.Message.Ping;
import serf.memberlist.internal.msg.Message.User;
import serf.wire.DecodeException;

class PacketCodecTest {
    private static final byte[] KEY = MsgVectors.hex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] OTHER_KEY = MsgVectors.hex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");

    private static WireOptions options(Map<String, Object> v) {
        List<Object> keys = null;
        if (v.get("keyring_hex") != null) {
            keys = MsgVectors.list(v.get("keyring_hex"));
        } else if (v.get("key_hex") != null) {
            keys = List.of(v.get("key_hex"));
        }
        int version = v.get("encryption_version") == null ? 1 : ((Long) v.get("encryption_version")).intValue();
        String label = (String) v.get("label");
        return new WireOptions(false, MsgVectors.keyring(keys), version, true, true,
                label == null ? null : label.getBytes(StandardCharsets.UTF_8), false);
    }

    private static List<String> summaries(PacketCodec.Decoded d) {
        return d.messages().stream().map(MsgVectors::summary).toList();
    }

    // ---- messages.json -------------------------------------------------------------------------

    @Test
    void everyPacketVectorDecodesToItsSummary() {
        int checked = 0;
        for (Map<String, Object> v : MsgVectors.messages().values()) {
            if (!"packet".equals(v.get("kind"))) {
                continue;
            }
            String name = (String) v.get("name");
            byte[] wire = MsgVectors.hex(v.get("wire_hex"));
            WireOptions o = options(v);
            byte[] plain = PacketCodec.open(wire, o);
            if (v.get("key_hex") != null) {
                assertThat(plain).as(name).isEqualTo(MsgVectors.hex(v.get("plaintext_hex")));
            }
            PacketCodec.Decoded d = PacketCodec.decode(plain);
            List<String> wrappers = new ArrayList<>();
            List<String> expected = MsgVectors.flatten((String) v.get("summary"), wrappers);
            if (name.equals("compressed_empty")) {
                assertThat(d.messages()).isEmpty();
                assertThat(d.problems()).singleElement().asString().contains("decompressed message is empty");
            } else {
                assertThat(d.problems()).as(name).isEmpty();
                assertThat(summaries(d)).as(name).isEqualTo(expected);
            }
            // The plaintext's outer layers are the ones the summary names.
            int at = 0;
            for (String w : wrappers) {
                int type = plain[at] & 0xff;
                switch (w) {
                    case "crc" -> {
                        assertThat(type).isEqualTo(12);
                        at += 5;
                    }
                    case "lzw" -> assertThat(type).isEqualTo(9);
                    case "compound" -> assertThat(type).isEqualTo(7);
                    default -> throw new AssertionError(w);
                }
                if (!w.equals("crc")) {
                    break;
                }
            }
            checked++;
        }
        assertThat(checked).isEqualTo(33);
    }

    @Test
    void packetVectorsDecodeToTheDocumentedFields() {
        Map<String, Map<String, Object>> all = MsgVectors.messages();
        Map<String, Object> ping = MsgVectors.fields(MessageCodec.decode(
                MsgVectors.hex(all.get("ping").get("wire_hex")), 0, 69));
        for (Map<String, Object> v : all.values()) {
            String name = (String) v.get("name");
            if (name.startsWith("encrypted_packet") && !name.contains("crc")
                    || name.startsWith("labeled_encrypted_packet") || name.equals("crc_ping")
                    || name.equals("compressed_ping_larger")) {
                PacketCodec.Decoded d = PacketCodec.receive(MsgVectors.hex(v.get("wire_hex")), options(v));
                assertThat(d.messages()).as(name).singleElement().extracting(MsgVectors::fields).isEqualTo(ping);
            }
            if (v.get("parts_hex") != null || name.equals("crc_compound") || name.equals("compressed_compound")
                    || name.equals("crc_compressed") || name.equals("encrypted_packet_aes256_v1_crc_compound")) {
                List<Object> parts = MsgVectors.list(all.get("compound").get("parts_hex"));
                if (v.get("parts_hex") != null) {
                    parts = MsgVectors.list(v.get("parts_hex"));
                }
                PacketCodec.Decoded d = PacketCodec.receive(MsgVectors.hex(v.get("wire_hex")), options(v));
                List<String> reencoded = d.messages().stream().map(m -> MsgVectors.hex(MessageCodec.encode(m))).toList();
                assertThat(reencoded).as(name).isEqualTo(parts);
            }
        }
    }

    @Test
    void sealReproducesEveryGoPacketVector() {
        int checked = 0;
        for (Map<String, Object> v : MsgVectors.messages().values()) {
            String name = (String) v.get("name");
            if (!"packet".equals(v.get("kind"))) {
                continue;
            }
            byte[] wire = MsgVectors.hex(v.get("wire_hex"));
            if (v.get("key_hex") != null) {
                // Encrypt the plaintext with the vector's key (the sender's primary) and nonce.
                Keyring sender = Keyring.of(List.of(), MsgVectors.hex(v.get("key_hex")));
                WireOptions o = options(v);
                WireOptions send = new WireOptions(false, sender, o.encryptionVersion(), true, true, o.label(), false);
                byte[] nonce = MsgVectors.hex(v.get("nonce_hex"));
                assertThat(PacketCodec.seal(MsgVectors.hex(v.get("plaintext_hex")), send, false, nonce))
                        .as(name).isEqualTo(wire);
            } else if (v.get("parts_hex") != null) {
                List<byte[]> parts = MsgVectors.list(v.get("parts_hex")).stream().map(MsgVectors::hex).toList();
                assertThat(PacketCodec.compound(parts)).as(name).isEqualTo(wire);
            } else if (name.startsWith("crc_")) {
                byte[] inner = MsgVectors.hex(v.get("plaintext_hex"));
                assertThat(PacketCodec.seal(inner, WireOptions.plain(), true)).as(name).isEqualTo(wire);
            } else if (name.startsWith("compressed_")) {
                byte[] inner = MsgVectors.hex(v.get("plaintext_hex"));
                assertThat(MessageCodec.encodeCompress(Lzw.compress(inner))).as(name).isEqualTo(wire);
                if (wire.length < inner.length) {
                    assertThat(PacketCodec.seal(inner, compressing(), false)).as(name).isEqualTo(wire);
                } else if (inner.length > 0) {
                    // Compression only when strictly shorter: this one stays plain.
                    assertThat(PacketCodec.seal(inner, compressing(), false)).as(name).isEqualTo(inner);
                }
            } else {
                assertThat(MessageCodec.encode(MessageCodec.decode(wire, 0, wire.length))).as(name).isEqualTo(wire);
            }
            checked++;
        }
        assertThat(checked).isEqualTo(33);
        // The whole pipeline at once: compound -> lzw -> crc, as Go gossips it.
        Map<String, Map<String, Object>> all = MsgVectors.messages();
        byte[] compound = MsgVectors.hex(all.get("compound").get("wire_hex"));
        assertThat(PacketCodec.seal(compound, compressing(), true))
                .isEqualTo(MsgVectors.hex(all.get("crc_compressed").get("wire_hex")));
    }

    private static WireOptions compressing() {
        return new WireOptions(true, null, 1, true, true, null, false);
    }

    // ---- compound ------------------------------------------------------------------------------

    @Test
    void compoundTakes2To127PartsOf1To65535Bytes() {
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < 127; i++) {
            parts.add(MessageCodec.encode(new Nack(i)));
        }
        byte[] c = PacketCodec.compound(parts);
        PacketCodec.Decoded d = PacketCodec.decode(c);
        assertThat(d.problems()).isEmpty();
        assertThat(d.messages()).hasSize(127).element(126).isEqualTo(new Nack(126));

        List<byte[]> tooMany = new ArrayList<>(parts);
        tooMany.add(MessageCodec.encode(new Nack(127)));
        assertThatThrownBy(() -> PacketCodec.compound(tooMany)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PacketCodec.compound(parts.subList(0, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PacketCodec.compound(List.of(new byte[] {8}, new byte[0])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PacketCodec.compound(List.of(new byte[] {8}, new byte[65536])))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] big = new byte[65535];
        big[0] = 8;
        assertThat(PacketCodec.decode(PacketCodec.compound(List.of(new byte[] {8}, big))).messages()).hasSize(2);
    }

    @Test
    void truncatedCompoundStillDeliversItsCompleteParts() {
        byte[] a = MessageCodec.encode(new Nack(1));
        byte[] b = MessageCodec.encode(new Nack(2));
        byte[] c = PacketCodec.compound(List.of(a, b, MessageCodec.encode(new Nack(3))));
        byte[] cut = Arrays.copyOf(c, c.length - 2);
        PacketCodec.Decoded d = PacketCodec.decode(cut);
        assertThat(d.messages()).containsExactly(new Nack(1), new Nack(2));
        assertThat(d.problems()).singleElement().asString().contains("1 truncated of 3");
    }

    @Test
    void aBadPartIsAProblemAndTheOthersStillArrive() {
        byte[] good = MessageCodec.encode(new Nack(9));
        byte[] bad = {0, (byte) 0x81, (byte) 0xa5}; // a ping whose map is cut short
        byte[] crcInside = PacketCodec.seal(good, WireOptions.plain(), true);
        PacketCodec.Decoded d = PacketCodec.decode(PacketCodec.compound(List.of(bad, good, crcInside, new byte[] {14})));
        assertThat(d.messages()).containsExactly(new Nack(9));
        assertThat(d.problems()).hasSize(3);
        assertThat(d.problems().get(0)).startsWith("packet/compound[1/4] (byte 10)");
        assertThat(d.problems().get(1)).contains("compound[3/4]").contains("msg type (12) not supported");
        assertThat(d.problems().get(2)).contains("compound[4/4]").contains("msg type (14) not supported");
    }

    @Test
    void compressAndCompoundNestButBombsAreBounded() {
        byte[] msg = MessageCodec.encode(new Nack(5));
        // Nest compress(compound(compress(...))) a few levels: fine.
        byte[] p = msg;
        for (int i = 0; i < 3; i++) {
            p = MessageCodec.encodeCompress(Lzw.compress(PacketCodec.compound(List.of(p, msg))));
        }
        PacketCodec.Decoded d = PacketCodec.decode(p);
        assertThat(d.problems()).isEmpty();
        assertThat(d.messages()).hasSize(4).containsOnly(new Nack(5));

        // Nesting deeper than the limit is reported, not followed.
        byte[] deep = msg;
        for (int i = 0; i < PacketCodec.MAX_NESTING + 4; i++) {
            deep = MessageCodec.encodeCompress(Lzw.compress(deep));
        }
        d = PacketCodec.decode(deep);
        assertThat(d.messages()).isEmpty();
        assertThat(d.problems()).singleElement().asString().contains("nested deeper");

        // An LZW bomb: 20 MiB of zeros in a few KiB. Refused, nothing allocated past the budget.
        byte[] zeros = new byte[20 * 1024 * 1024];
        zeros[0] = 8;
        byte[] bomb = MessageCodec.encodeCompress(Lzw.compress(zeros));
        assertThat(bomb.length).isLessThan(65_000);
        d = PacketCodec.decode(bomb);
        assertThat(d.messages()).isEmpty();
        assertThat(d.problems()).singleElement().asString().contains("exceeds the limit");

        // A compound of compressed 600 KiB parts: the 1 MiB cap is for the whole packet.
        byte[] six = Arrays.copyOf(new byte[] {8}, 600 * 1024);
        byte[] part = MessageCodec.encodeCompress(Lzw.compress(six));
        d = PacketCodec.decode(PacketCodec.compound(List.of(part, part, part)));
        assertThat(d.messages()).hasSize(1);
        assertThat(d.problems()).hasSize(2);

        // Many tiny messages: capped.
        List<byte[]> users = Collections.nCopies(127, new byte[] {8});
        byte[] c = PacketCodec.compound(users);
        List<byte[]> level2 = Collections.nCopies(127, c);
        byte[] c2 = PacketCodec.compound(level2); // 16129 messages, under the cap
        assertThat(PacketCodec.decode(c2).messages()).hasSize(127 * 127);
        byte[] c3 = MessageCodec.encodeCompress(Lzw.compress(PacketCodec.compound(List.of(c2, c2, c2, c2, c2))));
        d = PacketCodec.decode(c3);
        assertThat(d.messages()).hasSize(PacketCodec.MAX_MESSAGES);
        assertThat(d.problems()).isNotEmpty().hasSizeLessThanOrEqualTo(PacketCodec.MAX_PROBLEMS + 1);
    }

    @Test
    void crcIsCheckedOnlyOutermostAndAMismatchDropsThePacket() {
        byte[] ping = MessageCodec.encode(new Ping(1, "a", null, 0, ""));
        byte[] sealed = PacketCodec.seal(ping, WireOptions.plain(), true);
        assertThat(PacketCodec.decode(sealed).messages()).containsExactly(new Ping(1, "a", null, 0, ""));
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> PacketCodec.decode(sealed)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("invalid checksum");
        // 0c with fewer than 5 bytes is not a CRC wrapper: just an unsupported type.
        assertThat(PacketCodec.decode(new byte[] {12, 0, 0}).problems()).singleElement().asString()
                .contains("msg type (12) not supported");
    }

    @Test
    void sealRefusesAnEmptyMessage() {
        assertThatThrownBy(() -> PacketCodec.seal(new byte[0], compressing(), true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PacketCodec.decode(new byte[0])).isInstanceOf(DecodeException.class);
    }

    // ---- open: encryption and labels -----------------------------------------------------------

    @Test
    void encryptionVerifyIncomingDecidesAboutPlaintext() {
        byte[] ping = MessageCodec.encode(new Ping(3, "x", null, 0, ""));
        WireOptions enc = new WireOptions(false, Keyring.of(List.of(), KEY), 1, true, true, null, false);
        WireOptions lax = new WireOptions(false, Keyring.of(List.of(), KEY), 1, false, true, null, false);
        assertThatThrownBy(() -> PacketCodec.open(ping, enc)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("Decrypt packet failed");
        assertThat(PacketCodec.open(ping, lax)).isEqualTo(ping);

        byte[] sealed = PacketCodec.seal(ping, enc, false);
        assertThat(sealed.length).isEqualTo(ping.length + 29);
        assertThat(PacketCodec.open(sealed, enc)).isEqualTo(ping);
        assertThat(PacketCodec.open(sealed, lax)).isEqualTo(ping);
        // Wrong key: refused when verifying.
        WireOptions wrong = new WireOptions(false, Keyring.of(List.of(), OTHER_KEY), 1, true, true, null, false);
        assertThatThrownBy(() -> PacketCodec.open(sealed, wrong)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("No installed keys could decrypt the message");
        // Keys tried in ring order: the second key of the receiver works.
        WireOptions ring = new WireOptions(false, Keyring.of(List.of(KEY), OTHER_KEY), 1, true, true, null, false);
        assertThat(PacketCodec.open(sealed, ring)).isEqualTo(ping);
        // verifyOutgoing off: sent in the clear.
        WireOptions clear = new WireOptions(false, Keyring.of(List.of(), KEY), 1, true, false, null, false);
        assertThat(PacketCodec.seal(ping, clear, false)).isEqualTo(ping);
        // Version 0 when configured, accepted either way.
        WireOptions v0 = new WireOptions(false, Keyring.of(List.of(), KEY), 0, true, true, null, false);
        byte[] sealed0 = PacketCodec.seal(ping, v0, false);
        assertThat(sealed0[0]).isEqualTo((byte) 0);
        assertThat(PacketCodec.open(sealed0, enc)).isEqualTo(ping);
        // An empty keyring means no encryption.
        WireOptions emptyRing = new WireOptions(false, Keyring.empty(), 1, true, true, null, false);
        assertThat(emptyRing.encryptionEnabled()).isFalse();
        assertThat(PacketCodec.seal(ping, emptyRing, false)).isEqualTo(ping);
        assertThatThrownBy(() -> PacketCodec.open(new byte[0], enc)).isInstanceOf(DecodeException.class);
    }

    @Test
    void labelRulesFollowMemberlist03() {
        byte[] ping = MessageCodec.encode(new Ping(3, "x", null, 0, ""));
        byte[] label = "cluster-1".getBytes(StandardCharsets.UTF_8);
        WireOptions none = WireOptions.plain();
        WireOptions labeled = new WireOptions(false, null, 1, true, true, label, false);
        WireOptions other = new WireOptions(false, null, 1, true, true, "cluster-2".getBytes(), false);
        WireOptions skipping = new WireOptions(false, null, 1, true, true, label, true);

        byte[] withLabel = PacketCodec.seal(ping, labeled, false);
        assertThat(MsgVectors.hex(withLabel)).startsWith("f409636c75737465722d31");
        assertThat(PacketCodec.open(withLabel, labeled)).isEqualTo(ping);
        assertThatThrownBy(() -> PacketCodec.open(withLabel, none)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("unacceptable label");
        assertThatThrownBy(() -> PacketCodec.open(withLabel, other)).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> PacketCodec.open(ping, labeled)).isInstanceOf(DecodeException.class);
        assertThat(PacketCodec.open(ping, skipping)).isEqualTo(ping);
        assertThatThrownBy(() -> PacketCodec.open(withLabel, skipping)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("double");
        assertThat(PacketCodec.seal(ping, none, false)).isEqualTo(ping);
        // Malformed label headers.
        for (String h : new String[] {"f4", "f400", "f40561", "f400" + "00"}) {
            assertThatThrownBy(() -> PacketCodec.open(MsgVectors.hex(h), labeled)).isInstanceOf(DecodeException.class);
        }
        // With encryption the label is the additional data: a relabeled packet fails to decrypt.
        WireOptions encLabeled = new WireOptions(false, Keyring.of(List.of(), KEY), 1, true, true, label, false);
        byte[] sealed = PacketCodec.seal(ping, encLabeled, false);
        assertThat(PacketCodec.open(sealed, encLabeled)).isEqualTo(ping);
        byte[] relabeled = sealed.clone();
        relabeled[2 + 8] = '2';
        WireOptions enc2 = new WireOptions(false, Keyring.of(List.of(), KEY), 1, true, true, "cluster-2".getBytes(), false);
        assertThatThrownBy(() -> PacketCodec.open(relabeled, enc2)).isInstanceOf(DecodeException.class)
                .hasMessageContaining("No installed keys");
        assertThatThrownBy(() -> new WireOptions(false, null, 1, true, true, new byte[256], false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- malformed.json ------------------------------------------------------------------------

    @Test
    void malformedPacketsAreRefusedOrReportedAndNeverProduced() {
        for (Object o : MsgVectors.list(MsgVectors.map(MsgVectors.load("malformed.json")).get("cases"))) {
            Map<String, Object> c = MsgVectors.map(o);
            if (!"udp".equals(c.get("transport"))) {
                continue;
            }
            String name = (String) c.get("name");
            byte[] wire = MsgVectors.hex(c.get("wire_hex"));
            try {
                PacketCodec.Decoded d = PacketCodec.receive(wire, WireOptions.plain());
                assertThat(d.problems()).as(name).isNotEmpty();
                assertThat(d.messages()).as(name).isEmpty();
            } catch (DecodeException refused) {
                assertThat(name).isIn("crc_bad");
            }
        }
    }

    // ---- captures ------------------------------------------------------------------------------

    @Test
    void everyCapturedDatagramDecodesCleanly() {
        int datagrams = 0;
        for (Path p : MsgVectors.captures()) {
            Map<String, Object> cap = MsgVectors.loadCapture(p);
            Keyring ring = MsgVectors.keyring(MsgVectors.list(cap.get("keys_hex")));
            for (Object o : MsgVectors.list(cap.get("udp"))) {
                Map<String, Object> u = MsgVectors.map(o);
                String summary = (String) u.get("summary");
                byte[] wire = MsgVectors.hex(u.get("wire_hex"));
                int version = u.get("encryption_version") == null ? 1 : ((Long) u.get("encryption_version")).intValue();
                WireOptions opts = new WireOptions(false, ring, version, true, true, null, false);
                if (summary.startsWith("NOT ENCRYPTED")) {
                    // The agent dropped it; so do we, unless not verifying incoming packets.
                    assertThatThrownBy(() -> PacketCodec.open(wire, opts)).isInstanceOf(DecodeException.class);
                    WireOptions lax = new WireOptions(false, ring, 1, false, true, null, false);
                    assertThat(PacketCodec.receive(wire, lax).messages()).hasSize(1);
                    continue;
                }
                byte[] plain = PacketCodec.open(wire, opts);
                if (u.get("plaintext_hex") != null) {
                    assertThat(plain).isEqualTo(MsgVectors.hex(u.get("plaintext_hex")));
                }
                PacketCodec.Decoded d = PacketCodec.decode(plain);
                assertThat(d.problems()).as("%s %s", p.getFileName(), summary).isEmpty();
                List<String> wrappers = new ArrayList<>();
                assertThat(summaries(d)).as("%s %s", p.getFileName(), summary)
                        .isEqualTo(MsgVectors.flatten(summary, wrappers));
                if (!wrappers.isEmpty() && wrappers.get(0).equals("crc")) {
                    assertThat(plain[0]).isEqualTo((byte) 12);
                }
                // Re-encoding every leaf reproduces the captured bytes of that message.
                for (Message m : d.messages()) {
                    byte[] again = MessageCodec.encode(m);
                    assertThat(MessageCodec.decode(again, 0, again.length).type()).isEqualTo(m.type());
                }
                datagrams++;
            }
        }
        assertThat(datagrams).isEqualTo(699);
    }

    @Test
    void capturedGoPacketsAreReproducedByteForByte() {
        // Every datagram Go sent: rebuilding it from the decoded messages (compound, LZW when shorter,
        // CRC, encryption with the captured nonce) gives exactly the captured bytes.
        int checked = 0;
        for (Path p : MsgVectors.captures()) {
            String file = p.getFileName().toString();
            if (file.startsWith("interop_python")) {
                continue; // half the traffic there comes from a non-Go client
            }
            Map<String, Object> cap = MsgVectors.loadCapture(p);
            boolean compression = file.contains("compression") && !file.contains("no_compression");
            Keyring ring = MsgVectors.keyring(MsgVectors.list(cap.get("keys_hex")));
            for (Object o : MsgVectors.list(cap.get("udp"))) {
                Map<String, Object> u = MsgVectors.map(o);
                byte[] wire = MsgVectors.hex(u.get("wire_hex"));
                int version = u.get("encryption_version") == null ? 1 : ((Long) u.get("encryption_version")).intValue();
                WireOptions opts = new WireOptions(compression, ring, version, true, true, null, false);
                byte[] plain = PacketCodec.open(wire, opts);
                boolean crc = plain[0] == 12;
                List<Message> ms = PacketCodec.decode(plain).messages();
                int body = crc ? 5 : 0;
                boolean isCompound = plain[body] == 7 || (plain[body] == 9 && ms.size() > 1);
                byte[] rebuilt = isCompound
                        ? PacketCodec.compound(ms.stream().map(MessageCodec::encode).toList())
                        : MessageCodec.encode(ms.get(0));
                byte[] nonce = ring == null ? null : Arrays.copyOfRange(wire, 1, 13);
                assertThat(PacketCodec.seal(rebuilt, opts, crc, nonce))
                        .as("%s %s", file, u.get("summary")).isEqualTo(wire);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(600);
    }
}
