package serf.agent.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import serf.agent.handler.ScriptEvent;

/**
 * One user event as the handled-event record identifies it: its Lamport time and a 64-bit digest of
 * its name and payload. Serf tells user events apart by exactly these three (an empty payload and no
 * payload being the same), so two events sent at the same Lamport time by different nodes differ
 * here unless they carry the same name and payload, in which case Serf takes them for one event too.
 *
 * @param lTime  the event's Lamport time (unsigned)
 * @param digest the first 8 bytes of SHA-256 over the name's length, the name and the payload
 */
record HandledEvent(long lTime, long digest) {

    static HandledEvent of(ScriptEvent.User event) {
        return of(event.lTime(), event.name(), event.payload());
    }

    static HandledEvent of(long lTime, String name, byte[] payload) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
        sha.update(ByteBuffer.allocate(4).putInt(n.length).array());
        sha.update(n);
        if (payload != null) {
            sha.update(payload);
        }
        return new HandledEvent(lTime, ByteBuffer.wrap(sha.digest()).getLong());
    }
}
