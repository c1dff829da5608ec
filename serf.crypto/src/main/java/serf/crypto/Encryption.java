package serf.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * memberlist's AES-GCM envelope: {@code version (1) | nonce (12) | ciphertext | tag (16)}.
 *
 * <p>Version 0 pads the plaintext with PKCS#7 to a multiple of 16 before GCM (sent by protocol-1 nodes);
 * version 1 encrypts it as is. Packets carry no additional authenticated data; streams authenticate their
 * 5-byte {@code 0a | u32 length} header. Both versions are accepted on receive whatever is sent.
 *
 * <p>Decryption raises only {@link DecryptionException}, whatever the input. Thread-safe: each thread
 * keeps one AES-GCM {@link Cipher} and initialises it afresh for every message (key and nonce), which
 * costs a third of getting a new one each time under the interpreter the agent's image runs with
 * (the JDK looks the transformation up among its providers and chooses one on every new instance;
 * an instance also keeps the expanded AES key while the key stays the same).
 */
public final class Encryption {

    private static final int VERSION_SIZE = 1;
    private static final int NONCE_SIZE = 12;
    private static final int TAG_SIZE = 16;
    private static final int BLOCK_SIZE = 16;
    private static final int HEADER_SIZE = VERSION_SIZE + NONCE_SIZE;
    private static final int MAX_VERSION = 1;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    /** This thread's cipher; a virtual thread's goes with it. */
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(Encryption::newCipher);

    private Encryption() {
    }

    /**
     * Worst-case bytes added to a plaintext: 45 for version 0 (a full pad block), 29 for version 1.
     *
     * @param version the encryption version, 0 or 1
     * @return the largest number of bytes encryption adds
     */
    public static int overhead(int version) {
        return switch (version) {
            case 0 -> VERSION_SIZE + NONCE_SIZE + BLOCK_SIZE + TAG_SIZE;
            case 1 -> VERSION_SIZE + NONCE_SIZE + TAG_SIZE;
            default -> throw unsupported(version);
        };
    }

    /**
     * Exact size of the blob {@link #encrypt} produces for a plaintext of this length.
     *
     * @param version the encryption version, 0 or 1
     * @param plaintextLength the plaintext's length in bytes
     * @return the length of the encrypted blob in bytes
     */
    public static int encryptedLength(int version, int plaintextLength) {
        if (plaintextLength < 0) {
            throw new IllegalArgumentException("negative plaintext length " + plaintextLength);
        }
        return switch (version) {
            case 0 -> HEADER_SIZE + plaintextLength + padLength(plaintextLength) + TAG_SIZE;
            case 1 -> HEADER_SIZE + plaintextLength + TAG_SIZE;
            default -> throw unsupported(version);
        };
    }

    /**
     * Encrypts with a fresh random nonce.
     *
     * @param version the encryption version: 0 (PKCS#7 padding, memberlist protocol below 2) or 1 (no padding)
     * @param key an AES key of 16, 24 or 32 bytes
     * @param plaintext the bytes to encrypt, not empty
     * @param aad null or empty for packets; the stream header for streams
     * @return version byte, nonce, ciphertext and tag
     */
    public static byte[] encrypt(int version, byte[] key, byte[] plaintext, byte[] aad) {
        byte[] nonce = new byte[NONCE_SIZE];
        RANDOM.nextBytes(nonce);
        return encrypt(version, key, nonce, plaintext, aad);
    }

    /**
     * Encrypts with the given nonce (for vectors and tests: a nonce must never be reused with one key).
     *
     * @param aad null or empty for packets; the stream header for streams
     * @throws IllegalArgumentException for an unknown version, a bad key or nonce size, or an empty
     *         plaintext (an encrypted empty message crashes Go 0.2.2 peers)
     * @param version the encryption version, 0 or 1
     * @param key an AES key of 16, 24 or 32 bytes
     * @param nonce the 12-byte GCM nonce
     * @param plaintext the bytes to encrypt, not empty
     * @return version byte, nonce, ciphertext and tag
     */
    public static byte[] encrypt(int version, byte[] key, byte[] nonce, byte[] plaintext, byte[] aad) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(nonce, "nonce");
        if (version < 0 || version > MAX_VERSION) {
            throw unsupported(version);
        }
        if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
            throw new IllegalArgumentException(Keyring.BAD_KEY_SIZE);
        }
        if (nonce.length != NONCE_SIZE) {
            throw new IllegalArgumentException("nonce must be " + NONCE_SIZE + " bytes, got " + nonce.length);
        }
        if (plaintext.length == 0) {
            throw new IllegalArgumentException("refusing to encrypt an empty plaintext");
        }
        byte[] input = plaintext;
        if (version == 0) {
            int pad = padLength(plaintext.length);
            input = new byte[plaintext.length + pad];
            System.arraycopy(plaintext, 0, input, 0, plaintext.length);
            Arrays.fill(input, plaintext.length, input.length, (byte) pad);
        }
        byte[] out = new byte[HEADER_SIZE + input.length + TAG_SIZE];
        out[0] = (byte) version;
        System.arraycopy(nonce, 0, out, VERSION_SIZE, NONCE_SIZE);
        try {
            Cipher gcm = initialised(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_SIZE * 8, nonce));
            if (aad != null && aad.length > 0) {
                gcm.updateAAD(aad);
            }
            int written = gcm.doFinal(input, 0, input.length, out, HEADER_SIZE);
            if (written != input.length + TAG_SIZE) {
                throw new IllegalStateException("AES-GCM wrote " + written + " bytes, expected " + (input.length + TAG_SIZE));
            }
        } catch (GeneralSecurityException e) {
            // AES/GCM/NoPadding is mandatory in every JDK and the arguments were checked above.
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
        return out;
    }

    /**
     * Decrypts a whole array; see {@link #decrypt(List, byte[], int, int, byte[])}.
     *
     * @param keys the keys to try, in order
     * @param blob the encrypted message
     * @param aad null or empty for packets; the stream header for streams
     * @return the plaintext
     * @throws DecryptionException when no key opens the message, or it is malformed (see the five-argument variant)
     */
    public static byte[] decrypt(List<byte[]> keys, byte[] blob, byte[] aad) throws DecryptionException {
        return decrypt(keys, blob, 0, blob.length, aad);
    }

    /**
     * Opens {@code blob[offset, offset+length)} with the first key (in ring order) that authenticates it.
     * Keys of an invalid size are skipped, as Go does. The result may be empty (version 1 with no
     * ciphertext): callers must treat that as a malformed message.
     *
     * @param aad null or empty for packets; the stream header for streams
     * @throws DecryptionException with Go's text: "Cannot decrypt empty payload", "Unsupported encryption
     *         version N", "Payload is too small to decrypt: N", "No installed keys could decrypt the message";
     *         and, stricter than Go, "Invalid padding in decrypted message" for a version-0 plaintext whose
     *         PKCS#7 padding is not well formed
     * @param keys the keys to try, in order
     * @param blob the array holding the encrypted message
     * @param offset where the message starts in {@code blob}
     * @param length the message's length in bytes
     * @return the plaintext, possibly empty
     */
    public static byte[] decrypt(List<byte[]> keys, byte[] blob, int offset, int length, byte[] aad)
            throws DecryptionException {
        Objects.requireNonNull(keys, "keys");
        Objects.checkFromIndexSize(offset, length, blob.length);
        if (length == 0) {
            throw new DecryptionException("Cannot decrypt empty payload");
        }
        int version = blob[offset] & 0xFF;
        if (version > MAX_VERSION) {
            throw new DecryptionException("Unsupported encryption version " + version);
        }
        if (length < encryptedLength(version, 0)) {
            throw new DecryptionException("Payload is too small to decrypt: " + length);
        }
        for (byte[] key : keys) {
            byte[] plain = open(key, blob, offset, length, aad);
            if (plain != null) {
                return version == 0 ? stripPadding(plain) : plain;
            }
        }
        throw new DecryptionException("No installed keys could decrypt the message");
    }

    /** The plaintext, or null when this key does not authenticate the blob (or is not an AES key). */
    private static byte[] open(byte[] key, byte[] blob, int offset, int length, byte[] aad) {
        if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
            return null;
        }
        try {
            Cipher gcm = initialised(Cipher.DECRYPT_MODE, key,
                    new GCMParameterSpec(TAG_SIZE * 8, blob, offset + VERSION_SIZE, NONCE_SIZE));
            if (aad != null && aad.length > 0) {
                gcm.updateAAD(aad);
            }
            return gcm.doFinal(blob, offset + HEADER_SIZE, length - HEADER_SIZE);
        } catch (GeneralSecurityException wrongKeyOrTampered) {
            // AEADBadTagException in practice: try the next key
            return null;
        }
    }

    /**
     * This thread's cipher, initialised for one message. An instance refuses to encrypt twice in a
     * row with the same key and nonce; a caller-given nonce may do that (test vectors), and then gets a
     * new instance, as every message did before the cipher was kept.
     */
    private static Cipher initialised(int mode, byte[] key, GCMParameterSpec spec) throws GeneralSecurityException {
        SecretKeySpec aes = new SecretKeySpec(key, "AES");
        Cipher gcm = CIPHER.get();
        try {
            gcm.init(mode, aes, spec);
        } catch (InvalidAlgorithmParameterException sameKeyAndNonceAgain) {
            gcm = newCipher();
            gcm.init(mode, aes, spec);
        }
        return gcm;
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance(TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            // AES/GCM/NoPadding is mandatory in every JDK.
            throw new IllegalStateException(TRANSFORMATION + " is not available", e);
        }
    }

    /**
     * Go strips as many bytes as the last one says without checking; the bytes are authenticated, so only a
     * key holder could send bad padding, but a bad value must still not index outside the array.
     */
    private static byte[] stripPadding(byte[] padded) throws DecryptionException {
        if (padded.length == 0) {
            throw new DecryptionException("Invalid padding in decrypted message");
        }
        int pad = padded[padded.length - 1] & 0xFF;
        if (pad < 1 || pad > BLOCK_SIZE || pad > padded.length) {
            throw new DecryptionException("Invalid padding in decrypted message");
        }
        for (int i = padded.length - pad; i < padded.length; i++) {
            if ((padded[i] & 0xFF) != pad) {
                throw new DecryptionException("Invalid padding in decrypted message");
            }
        }
        return Arrays.copyOf(padded, padded.length - pad);
    }

    /** PKCS#7 always adds 1..16 bytes: a block-aligned input gets a whole block of 0x10. */
    private static int padLength(int plaintextLength) {
        return BLOCK_SIZE - plaintextLength % BLOCK_SIZE;
    }

    private static IllegalArgumentException unsupported(int version) {
        return new IllegalArgumentException("Unsupported encryption version " + version);
    }
}
