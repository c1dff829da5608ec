package serf.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import serf.crypto.Vectors.EncryptedVector;

/** Real Go bytes: every encrypted vector and every encrypted captured datagram and stream. */
class EncryptionVectorTest {

    @Test
    void decryptsEveryEncryptedMessageVectorToItsPlaintext() throws Exception {
        List<EncryptedVector> vectors = Vectors.encryptedMessageVectors();
        assertThat(vectors).hasSizeGreaterThanOrEqualTo(14);
        assertThat(vectors).anyMatch(v -> v.version() == 0).anyMatch(v -> v.version() == 1)
                .anyMatch(EncryptedVector::stream).anyMatch(v -> v.keys().size() > 1)
                .anyMatch(v -> v.key().length == 16).anyMatch(v -> v.key().length == 24).anyMatch(v -> v.key().length == 32);
        for (EncryptedVector v : vectors) {
            assertThat(v.wire()[v.blobOffset()]).as(v.name()).isEqualTo((byte) v.version());
            byte[] plain = Encryption.decrypt(v.keys(), v.blob(), v.aad());
            assertThat(plain).as(v.name()).isEqualTo(v.plaintext());
            // the same bytes in place, without copying the blob out of the wire buffer
            byte[] inPlace = Encryption.decrypt(v.keys(), v.wire(), v.blobOffset(), v.wire().length - v.blobOffset(), v.aad());
            assertThat(inPlace).as(v.name()).isEqualTo(v.plaintext());
        }
    }

    @Test
    void reEncryptingWithTheVectorNonceReproducesGoBytesExactly() {
        for (EncryptedVector v : Vectors.encryptedMessageVectors()) {
            byte[] blob = Encryption.encrypt(v.version(), v.key(), v.nonce(), v.plaintext(), v.aad());
            assertThat(blob).as(v.name()).isEqualTo(v.blob());
            assertThat(blob.length).as(v.name()).isEqualTo(Encryption.encryptedLength(v.version(), v.plaintext().length));
            if (v.stream()) {
                ByteBuffer header = ByteBuffer.wrap(v.wire(), v.blobOffset() - 5, 5);
                assertThat(header.get()).isEqualTo((byte) 0x0a);
                assertThat(header.getInt()).as(v.name()).isEqualTo(blob.length);
                // the stream AAD is exactly the 5 header bytes (plus the label for labeled vectors)
                assertThat(Arrays.copyOfRange(v.aad(), 0, 5))
                        .isEqualTo(Arrays.copyOfRange(v.wire(), v.blobOffset() - 5, v.blobOffset()));
            }
        }
    }

    @Test
    void streamsAndLabeledVectorsNeedTheirAad() {
        for (EncryptedVector v : Vectors.encryptedMessageVectors()) {
            if (v.aad().length == 0) {
                continue;
            }
            assertThatThrownBy(() -> Encryption.decrypt(v.keys(), v.blob(), null))
                    .as(v.name())
                    .isInstanceOf(DecryptionException.class)
                    .hasMessage("No installed keys could decrypt the message");
        }
    }

    @Test
    void secondKeyOfTheRingDecryptsAndTheFirstAloneDoesNot() throws Exception {
        EncryptedVector v = Vectors.encryptedMessageVectors().stream()
                .filter(e -> e.name().equals("encrypted_packet_keyring_second_key")).findFirst().orElseThrow();
        assertThat(v.keys()).hasSize(2);
        assertThat(Encryption.decrypt(v.keys(), v.blob(), null)).isEqualTo(v.plaintext());
        assertThat(Encryption.decrypt(List.of(v.keys().get(1)), v.blob(), new byte[0])).isEqualTo(v.plaintext());
        assertThatThrownBy(() -> Encryption.decrypt(List.of(v.keys().get(0)), v.blob(), null))
                .isInstanceOf(DecryptionException.class)
                .hasMessage("No installed keys could decrypt the message");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "serf_3agents_aes256_compression", "serf_3agents_aes128_no_compression", "memberlist_pv1_aes128_selfsend",
            "memberlist_pv5_aes128", "interop_python_client_aes256"})
    void decryptsEveryEncryptedDatagramAndStreamOfARealCapture(String capture) throws Exception {
        Map<String, Object> file = Vectors.json("memberlist/captures/" + capture + ".json");
        List<byte[]> keys = ((List<?>) file.get("keys_hex")).stream().map(Vectors::hex).toList();
        assertThat(keys).isNotEmpty();

        int datagrams = 0;
        for (Map<String, Object> udp : Vectors.list(file, "udp")) {
            byte[] wire = Vectors.hex(udp.get("wire_hex"));
            if (!udp.containsKey("encryption_version")) {
                // the deliberately unencrypted ping of the interop capture: Go drops it, so must we
                assertThatThrownBy(() -> Encryption.decrypt(keys, wire, null)).isInstanceOf(DecryptionException.class);
                continue;
            }
            assertThat(wire[0]).isEqualTo(((Long) udp.get("encryption_version")).byteValue());
            byte[] plain = Encryption.decrypt(keys, wire, null);
            if (udp.containsKey("plaintext_hex")) {
                assertThat(plain).isEqualTo(Vectors.hex(udp.get("plaintext_hex")));
            }
            assertThat(plain).isNotEmpty();
            datagrams++;
        }
        assertThat(datagrams).isGreaterThan(5);

        for (Map<String, Object> tcp : Vectors.list(file, "tcp")) {
            byte[] wire = Vectors.hex(tcp.get("wire_hex"));
            @SuppressWarnings("unchecked")
            Map<String, Object> decoded = (Map<String, Object>) tcp.get("decoded");
            byte[] header = Arrays.copyOf(wire, 5);
            if (decoded.containsKey("encrypted_stream")) {
                assertThat(ByteBuffer.wrap(wire, 1, 4).getInt()).isEqualTo(wire.length - 5);
                byte[] plain = Encryption.decrypt(keys, wire, 5, wire.length - 5, header);
                assertThat(plain).isEqualTo(Vectors.hex(decoded.get("plaintext_hex")));
            } else if (decoded.containsKey("error")) {
                // the interop client's push/pull under a key the agent does not have
                assertThatThrownBy(() -> Encryption.decrypt(keys, wire, 5, wire.length - 5, header))
                        .isInstanceOf(DecryptionException.class)
                        .hasMessage("No installed keys could decrypt the message");
            }
        }
    }
}
