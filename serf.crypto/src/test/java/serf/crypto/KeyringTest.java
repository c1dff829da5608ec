package serf.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class KeyringTest {

    static final byte[] K1 = sequence(0x00, 16);
    static final byte[] K2 = sequence(0x10, 32);
    static final byte[] KX = sequence(0x40, 24);

    @Test
    void ofPutsThePrimaryFirstAndSkipsDuplicates() {
        Keyring ring = Keyring.of(List.of(K1, K2, K1, KX, K2.clone()), K2);
        assertThat(ring.keys()).containsExactly(K2, K1, KX);
        assertThat(ring.primaryKey()).isEqualTo(K2);
        assertThat(ring.isEmpty()).isFalse();
    }

    @Test
    void ofWithNothingIsEmptyAndWithoutPrimaryIsRefused() {
        assertThat(Keyring.of(List.of(), null).isEmpty()).isTrue();
        assertThat(Keyring.of(null, new byte[0]).isEmpty()).isTrue();
        assertThat(Keyring.of(List.of(), K1).keys()).containsExactly(K1);
        assertThatThrownBy(() -> Keyring.of(List.of(K1), null))
                .isInstanceOf(KeyringException.class).hasMessage("Empty primary key not allowed");
        assertThatThrownBy(() -> Keyring.of(List.of(K1), new byte[0]))
                .isInstanceOf(KeyringException.class).hasMessage("Empty primary key not allowed");
        assertThatThrownBy(() -> Keyring.of(List.of(new byte[15]), K1))
                .isInstanceOf(KeyringException.class).hasMessage("key size must be 16, 24 or 32 bytes");
        assertThatThrownBy(() -> Keyring.of(List.of(), new byte[33]))
                .isInstanceOf(KeyringException.class).hasMessage("key size must be 16, 24 or 32 bytes");
    }

    @Test
    void emptyRing() {
        Keyring ring = Keyring.empty();
        assertThat(ring.isEmpty()).isTrue();
        assertThat(ring.keys()).isEmpty();
        assertThat(ring.primaryKey()).isNull();
        ring.removeKey(K1); // Go would index an empty slice here; a no-op is the safe reading
        assertThatThrownBy(() -> ring.useKey(K1))
                .isInstanceOf(KeyringException.class).hasMessage("Requested key is not in the keyring");
        ring.addKey(K2);
        assertThat(ring.primaryKey()).isEqualTo(K2);
    }

    @Test
    void addKeyAppendsValidatesAndIgnoresDuplicates() {
        Keyring ring = Keyring.of(List.of(), K1);
        ring.addKey(K2);
        ring.addKey(K1.clone());
        ring.addKey(KX);
        ring.addKey(K2);
        assertThat(ring.keys()).containsExactly(K1, K2, KX);
        for (int size : new int[] {0, 1, 15, 17, 23, 25, 31, 33, 64}) {
            assertThatThrownBy(() -> ring.addKey(new byte[size]))
                    .isInstanceOf(KeyringException.class).hasMessage("key size must be 16, 24 or 32 bytes");
        }
        assertThatThrownBy(() -> ring.addKey(null)).isInstanceOf(KeyringException.class);
        assertThat(ring.keys()).hasSize(3);
    }

    @Test
    void useKeyMovesTheKeyToTheFrontKeepingTheOthersInOrder() {
        Keyring ring = Keyring.of(List.of(K2, KX), K1);
        ring.useKey(KX.clone());
        assertThat(ring.keys()).containsExactly(KX, K1, K2);
        ring.useKey(K2);
        assertThat(ring.keys()).containsExactly(K2, KX, K1);
        ring.useKey(K2);
        assertThat(ring.keys()).containsExactly(K2, KX, K1);
        assertThatThrownBy(() -> ring.useKey(sequence(0x99, 16)))
                .isInstanceOf(KeyringException.class).hasMessage("Requested key is not in the keyring");
        assertThatThrownBy(() -> ring.useKey(new byte[3]))
                .isInstanceOf(KeyringException.class).hasMessage("Requested key is not in the keyring");
    }

    @Test
    void removeKeyRefusesThePrimaryAndIgnoresUnknownKeys() {
        Keyring ring = Keyring.of(List.of(K2, KX), K1);
        assertThatThrownBy(() -> ring.removeKey(K1.clone()))
                .isInstanceOf(KeyringException.class).hasMessage("Removing the primary key is not allowed");
        ring.removeKey(sequence(0x77, 16));
        ring.removeKey(new byte[5]);
        assertThat(ring.keys()).containsExactly(K1, K2, KX);
        ring.removeKey(K2);
        assertThat(ring.keys()).containsExactly(K1, KX);
    }

    @Test
    void replaysTheRecordedAgentRotations() {
        // vectors/serf/keyring: alpha [K1] -> install K2 -> use K2 -> remove K1
        Keyring alpha = Keyring.of(List.of(K1), K1);
        alpha.addKey(K2);
        assertThat(alpha.keys()).containsExactly(K1, K2);
        alpha.useKey(K2);
        assertThat(alpha.keys()).containsExactly(K2, K1);
        alpha.removeKey(K1);
        assertThat(alpha.keys()).containsExactly(K2);
        // beta [K1, KX] -> [K1, KX, K2] -> [K2, K1, KX] -> [K2, KX]
        Keyring beta = Keyring.of(List.of(K1, KX), K1);
        beta.addKey(K2);
        assertThat(beta.keys()).containsExactly(K1, KX, K2);
        beta.useKey(K2);
        assertThat(beta.keys()).containsExactly(K2, K1, KX);
        beta.removeKey(K1);
        assertThat(beta.keys()).containsExactly(K2, KX);
    }

    @Test
    void neverHandsOutOrKeepsCallerArrays() {
        byte[] primary = K1.clone();
        List<byte[]> input = new ArrayList<>(List.of(K2.clone()));
        Keyring ring = Keyring.of(input, primary);
        primary[0] = 99;
        input.get(0)[0] = 99;
        byte[] added = KX.clone();
        ring.addKey(added);
        added[0] = 99;
        List<byte[]> handedOut = ring.keys();
        handedOut.get(0)[0] = 99;
        handedOut.clear();
        ring.primaryKey()[1] = 99;
        assertThat(ring.keys()).containsExactly(K1, K2, KX);
        assertThat(ring.toString()).isEqualTo("Keyring[3 keys]");
    }

    /**
     * Readers take snapshots while a writer rotates through install/use/remove: every snapshot must be one
     * of the rings the writer produced, never a half-applied rotation, and a message under the key that is
     * always installed must always decrypt.
     */
    @Test
    void readersSeeConsistentRingsWhileAWriterRotates() throws Exception {
        Keyring ring = Keyring.of(List.of(), K1);
        List<List<byte[]>> legal = List.of(List.of(K1), List.of(K1, K2), List.of(K2, K1));
        byte[] message = Encryption.encrypt(1, K1, "always readable".getBytes(), null);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger snapshots = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            readers.add(Thread.ofPlatform().start(() -> {
                try {
                    while (!done.get()) {
                        List<byte[]> keys = ring.keys();
                        if (legal.stream().noneMatch(l -> sameKeys(l, keys))) {
                            throw new AssertionError("inconsistent ring of " + keys.size() + " keys");
                        }
                        if (!Arrays.equals(Encryption.decrypt(keys, message, null), "always readable".getBytes())) {
                            throw new AssertionError("wrong plaintext");
                        }
                        byte[] primary = ring.primaryKey();
                        if (!Arrays.equals(primary, K1) && !Arrays.equals(primary, K2)) {
                            throw new AssertionError("bad primary");
                        }
                        snapshots.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 5_000 && failure.get() == null; i++) {
                    ring.addKey(K2);
                    ring.useKey(K2);
                    ring.useKey(K1);
                    ring.removeKey(K2);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                done.set(true);
            }
        });
        writer.join(TimeUnit.SECONDS.toMillis(60));
        done.set(true);
        for (Thread reader : readers) {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        assertThat(writer.isAlive()).isFalse();
        assertThat(readers).noneMatch(Thread::isAlive);
        assertThat(failure.get()).isNull();
        assertThat(snapshots.get()).isPositive();
        assertThat(ring.keys()).containsExactly(K1);
    }

    private static boolean sameKeys(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static byte[] sequence(int first, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }
}
