package serf.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Each thread keeps one AES-GCM cipher across messages: results must not depend on what the thread
 * encrypted or failed to decrypt before, nor on other threads.
 */
class EncryptionCipherReuseTest {
    private static final byte[] KEY_A = bytes(1, 16);
    private static final byte[] KEY_B = bytes(2, 32);
    private static final byte[] NONCE = bytes(3, 12);

    private static byte[] bytes(int seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void theSameKeyAndNonceTwiceInARowGiveTheSameBlob() throws Exception {
        byte[] plain = bytes(4, 100);
        byte[] first = Encryption.encrypt(1, KEY_A, NONCE, plain, null);
        // The JDK refuses to reuse one instance for the same key and nonce: a given nonce may do it.
        byte[] second = Encryption.encrypt(1, KEY_A, NONCE, plain, null);
        assertThat(second).isEqualTo(first);
        assertThat(Encryption.encrypt(0, KEY_B, NONCE, plain, null)).isNotEqualTo(first);
        assertThat(Encryption.encrypt(1, KEY_A, NONCE, plain, null)).isEqualTo(first);
        assertThat(Encryption.decrypt(List.of(KEY_A), first, null)).isEqualTo(plain);
    }

    @Test
    void aFailedDecryptionLeavesTheThreadsCipherUsable() throws Exception {
        byte[] plain = bytes(5, 60);
        byte[] blob = Encryption.encrypt(1, KEY_A, plain, null);
        byte[] tampered = blob.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> Encryption.decrypt(List.of(KEY_A, KEY_B), tampered, null))
                .isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> Encryption.decrypt(List.of(KEY_B), blob, null))
                .isInstanceOf(DecryptionException.class);
        assertThat(Encryption.decrypt(List.of(KEY_B, KEY_A), blob, null)).isEqualTo(plain);
        byte[] again = Encryption.encrypt(0, KEY_B, plain, new byte[] {0x0a, 0, 0, 0, 60});
        assertThat(Encryption.decrypt(List.of(KEY_A, KEY_B), again, new byte[] {0x0a, 0, 0, 0, 60})).isEqualTo(plain);
    }

    @Test
    void threadsEncryptAndDecryptAtOnce() throws Exception {
        List<Callable<Integer>> work = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int seed = t;
            work.add(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                byte[] mine = seed % 2 == 0 ? KEY_A : KEY_B;
                for (int i = 0; i < 200; i++) {
                    byte[] plain = new byte[1 + random.nextInt(1400)];
                    random.nextBytes(plain);
                    int version = i % 2;
                    byte[] blob = Encryption.encrypt(version, mine, plain, null);
                    assertThat(Encryption.decrypt(List.of(seed % 2 == 0 ? KEY_B : KEY_A, mine), blob, null)).isEqualTo(plain);
                }
                return seed;
            });
        }
        try (ExecutorService platform = Executors.newFixedThreadPool(4);
             ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> done = new ArrayList<>(platform.invokeAll(work.subList(0, 8)));
            done.addAll(virtual.invokeAll(work.subList(8, 16)));
            for (Future<Integer> f : done) {
                f.get();
            }
        }
    }
}
