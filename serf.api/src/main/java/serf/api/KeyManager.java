package serf.api;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import serf.api.internal.msg.SerfCodec;
import serf.api.internal.msg.SerfMessage;
import serf.crypto.Keyring;
import serf.crypto.KeyringException;
import serf.crypto.KeyringFile;
import serf.crypto.Keys;
import serf.wire.DecodeException;

/**
 * Cluster-wide key rotation (Go's serf.KeyManager): each operation is a {@code _serf_*-key} query
 * answered by every node, folded into a {@link KeyResponse}. Also answers those queries for this
 * node. One key operation at a time per node (list-keys may run alongside other lists).
 */
public final class KeyManager {
    private final Serf serf;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    KeyManager(Serf serf) {
        this.serf = serf;
    }

    /**
     * Installs a new key on every node (Go's {@code InstallKey}); it is used for decrypting at
     * once, and for encrypting only after {@link #useKey}. Waits for the answers up to the default
     * query timeout.
     *
     * @param key the key, base64 (16, 24 or 32 bytes once decoded)
     * @return what the nodes answered; {@link KeyResponse#error()} says if some failed or did not answer
     * @throws SerfException when the key is not base64 or the query could not be sent
     */
    public KeyResponse installKey(String key) throws SerfException {
        return installKeyWithOptions(key, null);
    }

    /**
     * {@link #installKey} with options (Go's {@code InstallKeyWithOptions}).
     *
     * @param key  the key, base64
     * @param opts the options; null for {@link KeyRequestOptions#DEFAULTS}
     * @return what the nodes answered
     * @throws SerfException when the key is not base64 or the query could not be sent
     */
    public KeyResponse installKeyWithOptions(String key, KeyRequestOptions opts) throws SerfException {
        return write(InternalQueries.INSTALL_KEY, key, relayFactor(opts));
    }

    /**
     * Makes an installed key the primary key on every node (Go's {@code UseKey}): the key new
     * messages are encrypted with.
     *
     * @param key the key, base64; it must be installed on the nodes already
     * @return what the nodes answered
     * @throws SerfException when the key is not base64 or the query could not be sent
     */
    public KeyResponse useKey(String key) throws SerfException {
        return useKeyWithOptions(key, null);
    }

    /**
     * {@link #useKey} with options (Go's {@code UseKeyWithOptions}).
     *
     * @param key  the key, base64
     * @param opts the options; null for {@link KeyRequestOptions#DEFAULTS}
     * @return what the nodes answered
     * @throws SerfException when the key is not base64 or the query could not be sent
     */
    public KeyResponse useKeyWithOptions(String key, KeyRequestOptions opts) throws SerfException {
        return write(InternalQueries.USE_KEY, key, relayFactor(opts));
    }

    /**
     * Removes a key from every node's keyring (Go's {@code RemoveKey}); a node refuses to remove
     * its primary key.
     *
     * @param key the key, base64
     * @return what the nodes answered
     * @throws SerfException when the key is not base64 or the query could not be sent
     */
    public KeyResponse removeKey(String key) throws SerfException {
        return removeKeyWithOptions(key, null);
    }

    /**
     * {@link #removeKey} with options (Go's {@code RemoveKeyWithOptions}).
     *
     * @param key  the key, base64
     * @param opts the options; null for {@link KeyRequestOptions#DEFAULTS}
     * @return what the nodes answered
     * @throws SerfException when the key is not base64 or the query could not be sent
     */
    public KeyResponse removeKeyWithOptions(String key, KeyRequestOptions opts) throws SerfException {
        return write(InternalQueries.REMOVE_KEY, key, relayFactor(opts));
    }

    /**
     * Asks every node which keys it has (Go's {@code ListKeys}); {@link KeyResponse#keys()} counts
     * the nodes holding each key, {@link KeyResponse#primaryKeys()} those using each as primary.
     *
     * @return what the nodes answered
     * @throws SerfException when the query could not be sent
     */
    public KeyResponse listKeys() throws SerfException {
        return listKeysWithOptions(null);
    }

    /**
     * {@link #listKeys} with options (Go's {@code ListKeysWithOptions}).
     *
     * @param opts the options; null for {@link KeyRequestOptions#DEFAULTS}
     * @return what the nodes answered
     * @throws SerfException when the query could not be sent
     */
    public KeyResponse listKeysWithOptions(KeyRequestOptions opts) throws SerfException {
        lock.readLock().lock();
        try {
            return keysQuery(InternalQueries.LIST_KEYS, new byte[0], relayFactor(opts));
        } finally {
            lock.readLock().unlock();
        }
    }

    private static int relayFactor(KeyRequestOptions opts) {
        return opts == null ? 0 : opts.relayFactor();
    }

    private KeyResponse write(String query, String key, int relayFactor) throws SerfException {
        byte[] raw;
        try {
            // Only base64 here, as Go's handleKeyRequest: every node's keyring checks the size itself.
            raw = Keys.decodeBase64(key);
        } catch (KeyringException | IllegalArgumentException e) {
            throw new SerfException(e.getMessage(), e);
        }
        lock.writeLock().lock();
        try {
            return keysQuery(query, raw, relayFactor);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private KeyResponse keysQuery(String query, byte[] key, int relayFactor) throws SerfException {
        byte[] payload = SerfCodec.encode(new SerfMessage.KeyRequest(key));
        int numNodes = serf.memberlist().numMembers();
        QueryParam params = serf.defaultQueryParams().withRelayFactor(relayFactor);
        QueryResponse resp = serf.query(query, payload, params);
        Map<String, String> messages = new HashMap<>();
        Map<String, Integer> keys = new HashMap<>();
        Map<String, Integer> primaryKeys = new HashMap<>();
        int numResp = 0;
        int numErr = 0;
        try {
            while (numResp < numNodes) {
                NodeResponse r = resp.pollResponse(resp.remaining().plusNanos(1));
                if (r == null) {
                    if (resp.finished()) {
                        break;
                    }
                    continue;
                }
                numResp++;
                byte[] p = r.payload();
                if (p == null || p.length == 0 || p[0] != 8) {
                    messages.put(r.from(), "Invalid key query response type: " + goBytes(p));
                    numErr++;
                    continue;
                }
                SerfMessage decoded;
                try {
                    decoded = SerfCodec.decode(p, 0, p.length);
                } catch (DecodeException e) {
                    decoded = null;
                }
                if (!(decoded instanceof SerfMessage.KeyResponse kr)) {
                    messages.put(r.from(), "Failed to decode key query response: " + goBytes(p));
                    numErr++;
                    continue;
                }
                if (!kr.result()) {
                    messages.put(r.from(), kr.message());
                    numErr++;
                } else if (kr.message() != null && !kr.message().isEmpty()) {
                    messages.put(r.from(), kr.message());
                }
                if (kr.keys() != null) {
                    for (String k : kr.keys()) {
                        keys.merge(k, 1, Integer::sum);
                    }
                }
                if (InternalQueries.LIST_KEYS.equals(query)) {
                    primaryKeys.merge(kr.primaryKey() == null ? "" : kr.primaryKey(), 1, Integer::sum);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            resp.close();
        }
        String error = null;
        if (numErr > 0) {
            error = numErr + "/" + numNodes + " nodes reported failure";
        } else if (numResp != numNodes) {
            error = numResp + "/" + numNodes + " nodes reported success";
        }
        return new KeyResponse(messages, keys, primaryKeys, numNodes, numResp, numErr, error);
    }

    /** Go formats a []byte with %v: "[8 129 …]". */
    private static String goBytes(byte[] p) {
        if (p == null) {
            return "[]";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < p.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(p[i] & 0xff);
        }
        return sb.append(']').toString();
    }

    // ---- responder side ----

    void answer(Query q) {
        SerfMessage.KeyResponse response = switch (q.name()) {
            case InternalQueries.LIST_KEYS -> list();
            default -> modify(q);
        };
        byte[] encoded = SerfCodec.encode(response);
        if (InternalQueries.LIST_KEYS.equals(q.name())) {
            encoded = fitListResponse(q, response);
        }
        try {
            q.respond(encoded);
        } catch (QueryException e) {
            serf.log().log(System.Logger.Level.ERROR, "serf: " + e.getMessage());
        }
    }

    private SerfMessage.KeyResponse modify(Query q) {
        Keyring ring = serf.memberlist().keyring();
        SerfMessage.KeyRequest req;
        try {
            req = SerfCodec.decodeKeyRequestPayload(q.payload());
        } catch (DecodeException e) {
            return new SerfMessage.KeyResponse(false, "", null, "");
        }
        if (ring == null) {
            serf.log().log(System.Logger.Level.ERROR, "serf: No keyring to modify (encryption not enabled)");
            return new SerfMessage.KeyResponse(false, "No keyring to modify (encryption not enabled)", null, "");
        }
        try {
            switch (q.name()) {
                case InternalQueries.INSTALL_KEY -> {
                    serf.log().log(System.Logger.Level.INFO, "serf: Received install-key query");
                    ring.addKey(req.key());
                }
                case InternalQueries.USE_KEY -> {
                    serf.log().log(System.Logger.Level.INFO, "serf: Received use-key query");
                    ring.useKey(req.key());
                }
                case InternalQueries.REMOVE_KEY -> {
                    serf.log().log(System.Logger.Level.INFO, "serf: Received remove-key query");
                    ring.removeKey(req.key());
                }
                default -> {
                    return new SerfMessage.KeyResponse(false, "", null, "");
                }
            }
        } catch (KeyringException | IllegalArgumentException e) {
            String what = switch (q.name()) {
                case InternalQueries.INSTALL_KEY -> "install key";
                case InternalQueries.USE_KEY -> "change primary key";
                default -> "remove key";
            };
            serf.log().log(System.Logger.Level.ERROR, "serf: Failed to " + what + ": " + e.getMessage());
            return new SerfMessage.KeyResponse(false, e.getMessage(), null, "");
        }
        String file = serf.rawConfig().keyringFile();
        if (!file.isEmpty()) {
            try {
                KeyringFile.write(Path.of(file), ring.keys());
            } catch (IOException e) {
                serf.log().log(System.Logger.Level.ERROR, "serf: Failed to write keyring file: " + e.getMessage());
                return new SerfMessage.KeyResponse(false, "Failed to write keyring file: " + e.getMessage(), null, "");
            }
        }
        return new SerfMessage.KeyResponse(true, "", null, "");
    }

    private SerfMessage.KeyResponse list() {
        Keyring ring = serf.memberlist().keyring();
        if (ring == null || ring.isEmpty()) {
            serf.log().log(System.Logger.Level.ERROR, "serf: Keyring is empty (encryption not enabled)");
            return new SerfMessage.KeyResponse(false, "Keyring is empty (encryption not enabled)", null, "");
        }
        serf.log().log(System.Logger.Level.INFO, "serf: Received list-keys query");
        List<String> keys = new ArrayList<>();
        for (byte[] k : ring.keys()) {
            keys.add(Base64.getEncoder().encodeToString(k));
        }
        return new SerfMessage.KeyResponse(true, "", keys, Base64.getEncoder().encodeToString(ring.primaryKey()));
    }

    /** Shrinks a list-keys response until the whole query response fits the size limit (Go's rule). */
    private byte[] fitListResponse(Query q, SerfMessage.KeyResponse full) {
        int limit = serf.rawConfig().queryResponseSizeLimit();
        List<String> keys = full.keys() == null ? List.of() : full.keys();
        int max = Math.min(keys.size(), Math.max(0, limit / 25));
        for (int n = max; n >= 0; n--) {
            String message = full.message();
            if (n < keys.size()) {
                message = "truncated key list response, showing first " + n + " of " + keys.size() + " keys";
            }
            SerfMessage.KeyResponse cut = new SerfMessage.KeyResponse(full.result(), message,
                    full.keys() == null ? null : keys.subList(0, n), full.primaryKey());
            byte[] enc = SerfCodec.encode(cut);
            byte[] asResponse = SerfCodec.encode(new SerfMessage.QueryResponse(q.lTime(), q.id(), serf.config().nodeName(), 0, enc));
            if (asResponse.length <= limit) {
                return enc;
            }
        }
        return SerfCodec.encode(new SerfMessage.KeyResponse(false, "Failed to truncate response so that it fits into message", null, ""));
    }
}
