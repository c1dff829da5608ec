package serf.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import serf.crypto.Vectors.EncryptedVector;

class EncryptionTest {

    private static final byte[] KEY16 = sequence(0x00, 16);
    private static final byte[] KEY24 = sequence(0x00, 24);
    private static final byte[] KEY32 = sequence(0x00, 32);
    private static final byte[] OTHER_KEY = sequence(0x40, 16);
    private static final byte[] NONCE = sequence(0xa0, 12);

    @Test
    void overheadAndLengthsFollowGo() {
        assertThat(Encryption.overhead(0)).isEqualTo(45);
        assertThat(Encryption.overhead(1)).isEqualTo(29);
        assertThat(Encryption.encryptedLength(1, 0)).isEqualTo(29);
        assertThat(Encryption.encryptedLength(0, 0)).isEqualTo(45);
        assertThat(Encryption.encryptedLength(1, 69)).isEqualTo(98);
        assertThat(Encryption.encryptedLength(0, 69)).isEqualTo(109);
        assertThat(Encryption.encryptedLength(0, 16)).isEqualTo(29 + 32); // aligned input gets a whole pad block
        assertThat(Encryption.encryptedLength(0, 186)).isEqualTo(0xdd);
        assertThatThrownBy(() -> Encryption.overhead(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Encryption.encryptedLength(-1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Encryption.encryptedLength(1, -5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundTripsEveryKeySizeVersionAndManyLengths() throws Exception {
        SplittableRandom random = new SplittableRandom(42);
        List<Integer> lengths = new ArrayList<>();
        for (int n = 1; n <= 100; n++) {
            lengths.add(n);
        }
        lengths.addAll(List.of(1400, 65_536, 65_537, 1 << 20));
        byte[] header = {0x0a, 0, 0, 0, 1};
        for (byte[] key : List.of(KEY16, KEY24, KEY32)) {
            for (int version = 0; version <= 1; version++) {
                for (int length : lengths) {
                    byte[] plain = new byte[length];
                    random.nextBytes(plain);
                    byte[] aad = length % 2 == 0 ? null : header;
                    byte[] blob = Encryption.encrypt(version, key, plain, aad);
                    assertThat(blob.length).isEqualTo(Encryption.encryptedLength(version, length));
                    assertThat(blob.length - length).isLessThanOrEqualTo(Encryption.overhead(version));
                    assertThat(blob[0]).isEqualTo((byte) version);
                    assertThat(Encryption.decrypt(List.of(OTHER_KEY, key), blob, aad)).isEqualTo(plain);
                }
            }
        }
    }

    @Test
    void freshNoncesMakeEqualPlaintextsEncryptDifferently() {
        byte[] plain = "hello".getBytes();
        byte[] a = Encryption.encrypt(1, KEY16, plain, null);
        byte[] b = Encryption.encrypt(1, KEY16, plain, null);
        assertThat(Arrays.copyOfRange(a, 1, 13)).isNotEqualTo(Arrays.copyOfRange(b, 1, 13));
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void versionZeroAndOneShareTheCiphertextPrefixAsSpecified() {
        byte[] plain = sequence(0x10, 69);
        byte[] v0 = Encryption.encrypt(0, KEY16, NONCE, plain, null);
        byte[] v1 = Encryption.encrypt(1, KEY16, NONCE, plain, null);
        assertThat(v0.length - v1.length).isEqualTo(11);
        assertThat(Arrays.copyOfRange(v0, 1, 13 + 69)).isEqualTo(Arrays.copyOfRange(v1, 1, 13 + 69));
    }

    @Test
    void encryptRejectsBadArguments() {
        assertThatThrownBy(() -> Encryption.encrypt(1, KEY16, new byte[0], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Encryption.encrypt(0, KEY16, NONCE, new byte[0], null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Encryption.encrypt(2, KEY16, new byte[1], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Unsupported encryption version 2");
        assertThatThrownBy(() -> Encryption.encrypt(-1, KEY16, new byte[1], null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Encryption.encrypt(1, new byte[15], new byte[1], null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("key size must be 16, 24 or 32 bytes");
        assertThatThrownBy(() -> Encryption.encrypt(1, null, new byte[1], null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Encryption.encrypt(1, KEY16, new byte[11], new byte[1], null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decryptErrorsCarryGoTexts() {
        List<byte[]> keys = List.of(KEY16);
        assertThatThrownBy(() -> Encryption.decrypt(keys, new byte[0], null))
                .isInstanceOf(DecryptionException.class).hasMessage("Cannot decrypt empty payload");
        for (int version = 2; version <= 255; version++) {
            byte[] blob = new byte[100];
            blob[0] = (byte) version;
            assertThatThrownBy(() -> Encryption.decrypt(keys, blob, null))
                    .isInstanceOf(DecryptionException.class).hasMessage("Unsupported encryption version " + version);
        }
        assertThatThrownBy(() -> Encryption.decrypt(keys, new byte[44], null))
                .isInstanceOf(DecryptionException.class).hasMessage("Payload is too small to decrypt: 44");
        byte[] v1short = new byte[28];
        v1short[0] = 1;
        assertThatThrownBy(() -> Encryption.decrypt(keys, v1short, null))
                .isInstanceOf(DecryptionException.class).hasMessage("Payload is too small to decrypt: 28");
        byte[] garbage = new byte[45];
        assertThatThrownBy(() -> Encryption.decrypt(keys, garbage, null))
                .isInstanceOf(DecryptionException.class).hasMessage("No installed keys could decrypt the message");
        byte[] blob = Encryption.encrypt(1, KEY16, new byte[] {1, 2, 3}, null);
        assertThatThrownBy(() -> Encryption.decrypt(List.of(), blob, null))
                .isInstanceOf(DecryptionException.class).hasMessage("No installed keys could decrypt the message");
        assertThatThrownBy(() -> Encryption.decrypt(List.of(OTHER_KEY, KEY32), blob, null))
                .isInstanceOf(DecryptionException.class).hasMessage("No installed keys could decrypt the message");
    }

    @Test
    void keysOfInvalidSizeAreSkippedNotFatal() throws Exception {
        byte[] blob = Encryption.encrypt(1, KEY24, new byte[] {9}, null);
        List<byte[]> keys = new ArrayList<>();
        keys.add(new byte[0]);
        keys.add(null);
        keys.add(new byte[7]);
        keys.add(KEY24);
        assertThat(Encryption.decrypt(keys, blob, null)).containsExactly(9);
    }

    @Test
    void decryptsASliceOfALargerBuffer() throws Exception {
        byte[] blob = Encryption.encrypt(0, KEY32, "slice".getBytes(), null);
        byte[] buffer = new byte[blob.length + 20];
        Arrays.fill(buffer, (byte) 0x55);
        System.arraycopy(blob, 0, buffer, 7, blob.length);
        assertThat(Encryption.decrypt(List.of(KEY32), buffer, 7, blob.length, null)).isEqualTo("slice".getBytes());
        assertThatThrownBy(() -> Encryption.decrypt(List.of(KEY32), buffer, 6, blob.length, null))
                .isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> Encryption.decrypt(List.of(KEY32), buffer, 7, blob.length - 1, null))
                .isInstanceOf(DecryptionException.class);
    }

    @Test
    void everySingleByteTamperingIsDetected() {
        for (EncryptedVector v : Vectors.encryptedMessageVectors()) {
            byte[] blob = v.blob();
            for (int i = 0; i < blob.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    if (i == 0 && bit == 0) {
                        continue; // 0 <-> 1: see theVersionByteIsNotAuthenticated
                    }
                    byte[] tampered = blob.clone();
                    tampered[i] ^= (byte) (1 << bit);
                    assertThatThrownBy(() -> Encryption.decrypt(v.keys(), tampered, v.aad()))
                            .as(v.name() + " byte " + i).isInstanceOf(DecryptionException.class);
                }
            }
            byte[] aad = v.aad().length == 0 ? new byte[] {0} : v.aad().clone();
            aad[aad.length - 1] ^= 1;
            assertThatThrownBy(() -> Encryption.decrypt(v.keys(), blob, aad)).isInstanceOf(DecryptionException.class);
        }
    }

    /**
     * The version byte lies outside GCM in memberlist's format (Go's too): relabelling a version-0 blob as
     * version 1 opens it and yields the PKCS#7-padded plaintext; the other way round, the padding check
     * rejects it unless the plaintext happens to end like padding.
     */
    @Test
    void theVersionByteIsNotAuthenticated() throws Exception {
        byte[] plain = {1, 2, 3};
        byte[] v0 = Encryption.encrypt(0, KEY16, NONCE, plain, null);
        v0[0] = 1;
        byte[] padded = Encryption.decrypt(List.of(KEY16), v0, null);
        assertThat(padded).hasSize(16).startsWith(1, 2, 3).endsWith(13, 13, 13);

        byte[] v1 = Encryption.encrypt(1, KEY16, NONCE, sequence(0x20, 40), null);
        v1[0] = 0;
        assertThatThrownBy(() -> Encryption.decrypt(List.of(KEY16), v1, null))
                .isInstanceOf(DecryptionException.class).hasMessage("Invalid padding in decrypted message");
    }

    @Test
    void truncationAtEveryLengthIsRejected() {
        for (EncryptedVector v : Vectors.encryptedMessageVectors()) {
            byte[] blob = v.blob();
            for (int length = 0; length < blob.length; length++) {
                byte[] truncated = Arrays.copyOf(blob, length);
                int expectedMinimum = v.version() == 0 ? 45 : 29;
                String expected = length == 0 ? "Cannot decrypt empty payload"
                        : length < expectedMinimum ? "Payload is too small to decrypt: " + length
                        : "No installed keys could decrypt the message";
                assertThatThrownBy(() -> Encryption.decrypt(v.keys(), truncated, v.aad()))
                        .isInstanceOf(DecryptionException.class).hasMessage(expected);
            }
        }
    }

    @Test
    void versionOneWithNoCiphertextDecryptsToEmpty() throws Exception {
        // Java never encrypts an empty plaintext, but a foreign peer may; the result must be an empty array.
        byte[] blob = rawGcm(1, KEY16, new byte[0]);
        assertThat(blob).hasSize(29);
        assertThat(Encryption.decrypt(List.of(KEY16), blob, null)).isEmpty();
    }

    @Test
    void versionZeroPaddingIsValidatedAfterAuthentication() throws Exception {
        byte[] fullBlock = new byte[16];
        Arrays.fill(fullBlock, (byte) 16);
        assertThat(Encryption.decrypt(List.of(KEY16), rawGcm(0, KEY16, fullBlock), null)).isEmpty();

        byte[] good = {1, 2, 3, 4, 5, 6, 7, 8, 8, 8, 8, 8, 8, 8, 8, 8};
        assertThat(Encryption.decrypt(List.of(KEY16), rawGcm(0, KEY16, good), null)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);

        for (byte[] bad : List.of(
                block(0), block(17), block(255), // out of range
                inconsistent())) {
            assertThatThrownBy(() -> Encryption.decrypt(List.of(KEY16), rawGcm(0, KEY16, bad), null))
                    .isInstanceOf(DecryptionException.class).hasMessage("Invalid padding in decrypted message");
        }
    }

    @Test
    void mutatedVectorBlobsRaiseOnlyDecryptionException() {
        List<EncryptedVector> vectors = Vectors.encryptedMessageVectors();
        SplittableRandom random = new SplittableRandom(0xC0FFEE);
        int rejected = 0;
        for (int i = 0; i < 20_000; i++) {
            EncryptedVector v = vectors.get(random.nextInt(vectors.size()));
            byte[] original = v.blob();
            byte[] mutated = mutate(original, random);
            byte[] aad = random.nextInt(10) == 0 ? null : v.aad();
            try {
                byte[] plain = Encryption.decrypt(v.keys(), mutated, aad);
                // GCM: only the untouched blob with the right AAD opens, give or take the unauthenticated
                // version byte (theVersionByteIsNotAuthenticated)
                assertThat(Arrays.copyOfRange(mutated, 1, mutated.length)).as("iteration " + i)
                        .isEqualTo(Arrays.copyOfRange(original, 1, original.length));
                assertThat(plain).startsWith(v.plaintext());
            } catch (DecryptionException expected) {
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("iteration " + i + " (" + v.name() + ") escaped with " + e, e);
            }
        }
        assertThat(rejected).isGreaterThan(19_000);
    }

    private static byte[] mutate(byte[] original, SplittableRandom random) {
        byte[] out = original.clone();
        switch (random.nextInt(6)) {
            case 0 -> out[random.nextInt(out.length)] ^= (byte) (1 + random.nextInt(255));
            case 1 -> out = Arrays.copyOf(out, random.nextInt(out.length));
            case 2 -> {
                byte[] longer = Arrays.copyOf(out, out.length + 1 + random.nextInt(40));
                for (int i = out.length; i < longer.length; i++) {
                    longer[i] = (byte) random.nextInt(256);
                }
                out = longer;
            }
            case 3 -> out[0] = (byte) random.nextInt(256);
            case 4 -> {
                for (int n = 1 + random.nextInt(8); n > 0; n--) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
            }
            default -> {
                int from = random.nextInt(out.length);
                int to = from + random.nextInt(out.length - from + 1);
                byte[] cut = new byte[out.length - (to - from)];
                System.arraycopy(out, 0, cut, 0, from);
                System.arraycopy(out, to, cut, from, out.length - to);
                out = cut;
            }
        }
        return out;
    }

    /** A blob sealed directly with JCE, bypassing Encryption's own padding and empty-plaintext checks. */
    private static byte[] rawGcm(int version, byte[] key, byte[] input) throws Exception {
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, NONCE));
        byte[] sealed = gcm.doFinal(input);
        byte[] blob = new byte[13 + sealed.length];
        blob[0] = (byte) version;
        System.arraycopy(NONCE, 0, blob, 1, 12);
        System.arraycopy(sealed, 0, blob, 13, sealed.length);
        return blob;
    }

    private static byte[] block(int last) {
        byte[] b = new byte[16];
        b[15] = (byte) last;
        return b;
    }

    private static byte[] inconsistent() {
        byte[] b = block(4);
        b[14] = 4;
        b[13] = 4;
        b[12] = 3; // claims 4 bytes of padding but one of them differs
        return b;
    }

    private static byte[] sequence(int first, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }
}
