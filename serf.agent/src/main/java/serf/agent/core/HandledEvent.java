package serf.agent.core;

import java.nio.charset.StandardCharsets;
import serf.agent.handler.ScriptEvent;

/**
 * One user event as the handled-event record identifies it: its Lamport time and a 64-bit digest of
 * its name and payload. Serf tells user events apart by exactly these three (an empty payload and no
 * payload being the same), so two events sent at the same Lamport time by different nodes differ
 * here unless they carry the same name and payload, in which case Serf takes them for one event too.
 *
 * <p>The digest is FNV-1a (64 bits) over the name's length, the name and the payload, then mixed
 * (MurmurHash3's finalizer). It is not a cryptographic hash: two different events at one Lamport
 * time that both matter after one crash share it with a chance near 2^-64 per pair, and the shipped
 * agent runs interpreted, where a SHA-256 of every event cost several times the rest of the
 * bookkeeping.
 *
 * @param lTime  the event's Lamport time (unsigned)
 * @param digest the digest of the name and payload
 */
record HandledEvent(long lTime, long digest) {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    static HandledEvent of(ScriptEvent.User event) {
        return of(event.lTime(), event.name(), event.payload());
    }

    static HandledEvent of(long lTime, String name, byte[] payload) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        long h = FNV_OFFSET;
        for (int shift = 24; shift >= 0; shift -= 8) {
            h = (h ^ ((n.length >>> shift) & 0xff)) * FNV_PRIME;
        }
        h = fnv(h, n);
        if (payload != null) {
            h = fnv(h, payload);
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return new HandledEvent(lTime, h);
    }

    private static long fnv(long h, byte[] bytes) {
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return h;
    }
}
