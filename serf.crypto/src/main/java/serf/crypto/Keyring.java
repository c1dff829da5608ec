package serf.crypto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The ordered set of AES keys a node encrypts with (the primary, always first) and decrypts with (all of
 * them, in order), with Go memberlist's rules and error texts.
 *
 * <p>Thread safety: readers never block. The ring is an immutable list published through a volatile field;
 * writers ({@link #addKey}, {@link #useKey}, {@link #removeKey}) are serialized by a lock and replace the
 * whole list, so a reader sees either the ring before a rotation or after it, never a mixture. Key arrays
 * are copied on the way in and on the way out; callers can never alter the ring through an array.
 */
public final class Keyring {

    static final String BAD_KEY_SIZE = "key size must be 16, 24 or 32 bytes";
    static final String EMPTY_PRIMARY = "Empty primary key not allowed";
    static final String NOT_INSTALLED = "Requested key is not in the keyring";
    static final String REMOVING_PRIMARY = "Removing the primary key is not allowed";

    private final ReentrantLock writeLock = new ReentrantLock();
    /** Immutable; its arrays are private copies that nobody else ever sees. Primary first. */
    private volatile List<byte[]> ring;

    private Keyring(List<byte[]> ring) {
        this.ring = ring;
    }

    /** {@return a ring with no keys: encryption is off} */
    public static Keyring empty() {
        return new Keyring(List.of());
    }

    /**
     * Go's {@code NewKeyring}: the primary first, then {@code keys} in order, duplicates skipped. With no
     * keys and no primary the ring is empty; keys without a primary are refused.
     *
     * @throws KeyringException "Empty primary key not allowed", or "key size must be 16, 24 or 32 bytes"
     * @param keys the keys to install, each 16, 24 or 32 bytes
     * @param primary the key to encrypt with, put first; null or empty only when {@code keys} is empty too
     * @return a new keyring
     */
    public static Keyring of(List<byte[]> keys, byte[] primary) {
        List<byte[]> others = keys == null ? List.of() : keys;
        boolean noPrimary = primary == null || primary.length == 0;
        if (others.isEmpty() && noPrimary) {
            return empty();
        }
        if (noPrimary) {
            throw new KeyringException(EMPTY_PRIMARY);
        }
        List<byte[]> building = new ArrayList<>();
        appendIfAbsent(building, primary);
        for (byte[] key : others) {
            appendIfAbsent(building, key);
        }
        return new Keyring(List.copyOf(building));
    }

    /**
     * Installs a key at the end of the ring (it becomes primary only if the ring was empty); no-op if present.
     *
     * @param key the key to add, 16, 24 or 32 bytes
     */
    public void addKey(byte[] key) {
        validate(key);
        writeLock.lock();
        try {
            List<byte[]> next = new ArrayList<>(ring);
            appendIfAbsent(next, key);
            ring = List.copyOf(next);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Makes an installed key the primary; the other keys keep their relative order.
     *
     * @param key an installed key to make the primary one
     */
    public void useKey(byte[] key) {
        writeLock.lock();
        try {
            List<byte[]> current = ring;
            int index = indexOf(current, key);
            if (index < 0) {
                throw new KeyringException(NOT_INSTALLED);
            }
            List<byte[]> next = new ArrayList<>(current.size());
            next.add(current.get(index));
            for (int i = 0; i < current.size(); i++) {
                if (i != index) {
                    next.add(current.get(i));
                }
            }
            ring = List.copyOf(next);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Uninstalls a key. Removing the primary is refused; removing a key that is not installed is a silent
     * no-op, as in Go (which would panic on an empty ring; here that is a no-op too).
     *
     * @param key the key to remove; not the primary one
     */
    public void removeKey(byte[] key) {
        writeLock.lock();
        try {
            List<byte[]> current = ring;
            if (!current.isEmpty() && Arrays.equals(current.get(0), key)) {
                throw new KeyringException(REMOVING_PRIMARY);
            }
            int index = indexOf(current, key);
            if (index < 0) {
                return;
            }
            List<byte[]> next = new ArrayList<>(current);
            next.remove(index);
            ring = List.copyOf(next);
        } finally {
            writeLock.unlock();
        }
    }

    /** {@return a copy of every key, primary first; the caller may do what it likes with it} */
    public List<byte[]> keys() {
        List<byte[]> current = ring;
        List<byte[]> copy = new ArrayList<>(current.size());
        for (byte[] key : current) {
            copy.add(key.clone());
        }
        return copy;
    }

    /** {@return a copy of the key used to encrypt, or null when the ring is empty} */
    public byte[] primaryKey() {
        List<byte[]> current = ring;
        return current.isEmpty() ? null : current.get(0).clone();
    }

    /** {@return true when no key is installed: encryption is off} */
    public boolean isEmpty() {
        return ring.isEmpty();
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        int size = ring.size();
        return "Keyring[" + size + (size == 1 ? " key]" : " keys]");
    }

    static void validate(byte[] key) {
        if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
            throw new KeyringException(BAD_KEY_SIZE);
        }
    }

    private static void appendIfAbsent(List<byte[]> ring, byte[] key) {
        validate(key);
        if (indexOf(ring, key) < 0) {
            ring.add(key.clone());
        }
    }

    private static int indexOf(List<byte[]> ring, byte[] key) {
        for (int i = 0; i < ring.size(); i++) {
            if (Arrays.equals(ring.get(i), key)) {
                return i;
            }
        }
        return -1;
    }
}
