package serf.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Text form of keys as the agent, its CLI and its keyring file use it: standard base64 with padding.
 */
public final class Keys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DECODE_MAP = new byte[256];

    static {
        Arrays.fill(DECODE_MAP, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE_MAP[ALPHABET[i]] = (byte) i;
        }
    }

    private Keys() {
    }

    /**
     * Decodes a key the way Go's {@code base64.StdEncoding.DecodeString} does (padding required, CR and LF
     * ignored, non-zero trailing bits tolerated), then checks its size.
     *
     * @throws KeyringException "illegal base64 data at input byte N" (N counted in UTF-8 bytes, as Go
     *         reports it), or "key size must be 16, 24 or 32 bytes"
     * @param base64 the key in standard base64
     * @return the key's bytes
     */
    public static byte[] decode(String base64) {
        if (base64 == null) {
            throw new KeyringException(Keyring.BAD_KEY_SIZE);
        }
        byte[] key = decodeStandardBase64(base64.getBytes(StandardCharsets.UTF_8));
        Keyring.validate(key);
        return key;
    }

    /**
     * Decodes like {@link #decode} but without the size check: Go's key manager only base64-decodes a
     * key before sending it to the cluster, and each node's keyring judges its size.
     *
     * @throws KeyringException "illegal base64 data at input byte N"
     * @param base64 the key in standard base64
     * @return the decoded bytes, of any size
     */
    public static byte[] decodeBase64(String base64) {
        return decodeStandardBase64((base64 == null ? "" : base64).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Standard base64 with padding.
     *
     * @param key the key's bytes
     * @return the key in standard base64 with padding
     */
    public static String encode(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    /** {@return a new random 32-byte (AES-256) key, like {@code serf keygen}} */
    public static byte[] generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    /**
     * Go's decoder works in quanta of four symbols; where it gives up decides the byte offset in its error,
     * which the agent passes to RPC clients ("illegal base64 data at input byte 4" for "badkey"), so this
     * follows the same steps rather than java.util.Base64 (which also accepts missing padding).
     */
    static byte[] decodeStandardBase64(byte[] src) {
        byte[] out = new byte[src.length / 4 * 3 + 3];
        int written = 0;
        int si = 0;
        while (true) {
            int[] quantum = new int[4];
            int symbols = 4;
            boolean finished = false;
            for (int j = 0; j < 4; j++) {
                if (si == src.length) {
                    if (j == 0) {
                        return Arrays.copyOf(out, written);
                    }
                    // padding is mandatory: a partial quantum at the end is an error
                    throw illegal(si - j);
                }
                int in = src[si] & 0xFF;
                si++;
                int value = DECODE_MAP[in];
                if (value >= 0) {
                    quantum[j] = value;
                    continue;
                }
                if (in == '\n' || in == '\r') {
                    j--;
                    continue;
                }
                if (in != '=') {
                    throw illegal(si - 1);
                }
                // padding: only after two or three symbols
                if (j < 2) {
                    throw illegal(si - 1);
                }
                if (j == 2) {
                    si = skipNewlines(src, si);
                    if (si == src.length) {
                        throw illegal(src.length);
                    }
                    if (src[si] != '=') {
                        throw illegal(si - 1);
                    }
                    si++;
                }
                si = skipNewlines(src, si);
                if (si < src.length) {
                    throw illegal(si); // trailing garbage after the padding
                }
                symbols = j;
                finished = true;
                break;
            }
            int bits = quantum[0] << 18 | quantum[1] << 12 | quantum[2] << 6 | quantum[3];
            out[written++] = (byte) (bits >> 16);
            if (symbols >= 3) {
                out[written++] = (byte) (bits >> 8);
            }
            if (symbols == 4) {
                out[written++] = (byte) bits;
            }
            if (finished) {
                return Arrays.copyOf(out, written);
            }
        }
    }

    private static int skipNewlines(byte[] src, int si) {
        while (si < src.length && (src[si] == '\n' || src[si] == '\r')) {
            si++;
        }
        return si;
    }

    private static KeyringException illegal(int offset) {
        return new KeyringException("illegal base64 data at input byte " + offset);
    }
}
