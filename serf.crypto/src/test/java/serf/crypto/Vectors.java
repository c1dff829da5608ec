package serf.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import serf.wire.json.Json;
import serf.wire.json.JsonLimits;

/** Loads the shared Go vectors. */
final class Vectors {

    static final Path ROOT = serf.testkit.TestVectors.root();
    static final HexFormat HEX = HexFormat.of();

    private Vectors() {
    }

    static Map<String, Object> json(String relative) {
        try {
            String text = Files.readString(ROOT.resolve(relative), StandardCharsets.UTF_8);
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = (Map<String, Object>) Json.parse(text, new JsonLimits(64, 64 * 1024 * 1024));
            return parsed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> object, String field) {
        Object value = object.get(field);
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }

    static byte[] hex(Object value) {
        return HEX.parseHex((String) value);
    }

    /** One encrypted vector of memberlist/messages.json, split into what Encryption sees. */
    record EncryptedVector(String name, boolean stream, int version, List<byte[]> keys, byte[] key, byte[] nonce,
                           byte[] aad, byte[] plaintext, byte[] wire, int blobOffset) {

        byte[] blob() {
            return java.util.Arrays.copyOfRange(wire, blobOffset, wire.length);
        }
    }

    static List<EncryptedVector> encryptedMessageVectors() {
        return list(json("memberlist/messages.json"), "vectors").stream()
                .filter(v -> v.containsKey("key_hex"))
                .map(Vectors::toEncrypted)
                .toList();
    }

    private static EncryptedVector toEncrypted(Map<String, Object> v) {
        byte[] wire = hex(v.get("wire_hex"));
        int offset = 0;
        if (v.containsKey("label")) {
            offset = 2 + (wire[1] & 0xFF); // f4 <len> <label>: memberlist >= 0.3.0 label header
        }
        boolean stream = "stream".equals(v.get("kind"));
        if (stream) {
            offset += 5; // 0a | u32 length
        }
        byte[] key = hex(v.get("key_hex"));
        List<byte[]> keys = v.containsKey("keyring_hex")
                ? ((List<?>) v.get("keyring_hex")).stream().map(Vectors::hex).toList()
                : List.of(key);
        return new EncryptedVector((String) v.get("name"), stream, ((Long) v.get("encryption_version")).intValue(),
                keys, key, hex(v.get("nonce_hex")), hex(v.get("aad_hex")), hex(v.get("plaintext_hex")), wire, offset);
    }
}
