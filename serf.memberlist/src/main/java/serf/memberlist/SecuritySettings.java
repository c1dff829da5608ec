package serf.memberlist;

import serf.crypto.Keyring;

/**
 * The part of {@link MemberlistConfig} that decides what the node's packets and streams are protected
 * by: the encryption keys, whether plaintext is sent and accepted while encryption is introduced, and
 * the cluster label. Its public setters and getters are {@link MemberlistConfig}'s (this class is not
 * used on its own); each setter returns the config it belongs to.
 */
abstract sealed class SecuritySettings extends DelegateSettings permits MemberlistConfig {
    private boolean gossipVerifyIncoming = true;
    private boolean gossipVerifyOutgoing = true;
    private byte[] secretKey;
    private Keyring keyring;
    private String label = "";
    private boolean skipInboundLabelCheck;

    SecuritySettings() {
    }

    private MemberlistConfig self() {
        return (MemberlistConfig) this;
    }

    /**
     * With encryption on: when true, messages that are not encrypted are refused. Setting it false for a
     * while lets a running cluster move to encryption node by node. Default true (all profiles). Go: {@code
     * GossipVerifyIncoming}.
     *
     * @param v false to accept plaintext while encryption is being introduced
     * @return this config
     */
    public MemberlistConfig gossipVerifyIncoming(boolean v) { gossipVerifyIncoming = v; return self(); }
    /** {@return whether plaintext input is refused when encryption is on} See {@link MemberlistConfig#gossipVerifyIncoming(boolean)}. */
    public boolean gossipVerifyIncoming() { return gossipVerifyIncoming; }
    /**
     * With encryption on: when true, everything sent is encrypted; false sends plaintext while keys are being
     * rolled out. Default true (all profiles). Go: {@code GossipVerifyOutgoing}.
     *
     * @param v false to send plaintext while encryption is being introduced
     * @return this config
     */
    public MemberlistConfig gossipVerifyOutgoing(boolean v) { gossipVerifyOutgoing = v; return self(); }
    /** {@return whether output is encrypted when encryption is on} See {@link MemberlistConfig#gossipVerifyOutgoing(boolean)}. */
    public boolean gossipVerifyOutgoing() { return gossipVerifyOutgoing; }
    /**
     * An AES key of 16, 24 or 32 bytes (AES-128, -192, -256) that becomes the primary key of the keyring
     * (installed into {@link MemberlistConfig#keyring(Keyring)}, or into a new one); setting it turns encryption on. The
     * array is copied. Default null. Go: {@code SecretKey}.
     *
     * @param v the key bytes, or null
     * @return this config
     */
    public MemberlistConfig secretKey(byte[] v) { secretKey = v == null ? null : v.clone(); return self(); }
    /** {@return a copy of the secret key, or null} See {@link MemberlistConfig#secretKey(byte[])}. */
    public byte[] secretKey() { return secretKey == null ? null : secretKey.clone(); }
    /**
     * The keys to encrypt with (its primary key) and to try when decrypting (all of them); a non-empty
     * keyring turns encryption on. Shared with whoever else holds it, so key rotation through it takes effect
     * at once. Default null: no encryption unless {@link MemberlistConfig#secretKey(byte[])} is set. Go: {@code Keyring}.
     *
     * @param v the keyring, or null
     * @return this config
     */
    public MemberlistConfig keyring(Keyring v) { keyring = v; return self(); }
    /** {@return the keyring, or null} See {@link MemberlistConfig#keyring(Keyring)}. */
    public Keyring keyring() { return keyring; }
    /**
     * A cluster label (Go memberlist 0.3 and later): put in front of every packet and stream and checked on
     * input, so that clusters sharing a network cannot mix; at most 255 bytes of UTF-8. Go memberlist 0.2.x
     * peers (serf 0.9.4) do not understand labels. Default empty: none. Go: {@code Label}.
     *
     * @param v the label; null or empty for none
     * @return this config
     */
    public MemberlistConfig label(String v) { label = v == null ? "" : v; return self(); }
    /** {@return the cluster label, empty for none} See {@link MemberlistConfig#label(String)}. */
    public String label() { return label; }
    /**
     * When true, input is accepted whatever label it carries (or none), which helps while labels are
     * introduced. Default false. Go: {@code SkipInboundLabelCheck}.
     *
     * @param v true to skip the label check on input
     * @return this config
     */
    public MemberlistConfig skipInboundLabelCheck(boolean v) { skipInboundLabelCheck = v; return self(); }
    /** {@return whether the label check on input is skipped} See {@link MemberlistConfig#skipInboundLabelCheck(boolean)}. */
    public boolean skipInboundLabelCheck() { return skipInboundLabelCheck; }

    /** {@return true when a keyring with at least one key (or a secret key) is configured} */
    public boolean encryptionEnabled() {
        return (keyring != null && !keyring.isEmpty()) || secretKey != null;
    }
}
