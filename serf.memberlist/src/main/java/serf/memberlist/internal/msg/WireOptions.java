package serf.memberlist.internal.msg;

import java.util.Arrays;

import serf.crypto.Keyring;

/**
 * What the packet and stream codecs wrap around messages, from the memberlist config.
 *
 * @param compression           LZW-compress outgoing messages (packets only when it is shorter; streams always).
 *                              Incoming compressed messages are accepted either way.
 * @param keyring               null or empty = no encryption; otherwise send with the primary key and
 *                              try every key on receive. Read at each use, so key changes take effect.
 * @param encryptionVersion     0 (PKCS#7 padded, protocol 1) or 1; both are accepted on receive
 * @param gossipVerifyIncoming  with encryption on: refuse what does not decrypt (else treat it as plaintext)
 * @param gossipVerifyOutgoing  with encryption on: encrypt what we send (else send plaintext)
 * @param label                 memberlist ≥ 0.3 cluster label (1..255 bytes), or null/empty for none.
 *                              Go 0.2.2 peers do not understand labels: leave it unset for them.
 * @param skipInboundLabelCheck accept unlabeled input as if it carried our label (migration aid)
 */
public record WireOptions(boolean compression, Keyring keyring, int encryptionVersion,
                          boolean gossipVerifyIncoming, boolean gossipVerifyOutgoing,
                          byte[] label, boolean skipInboundLabelCheck) {

    /** Longest label: its length travels in one byte. */
    public static final int MAX_LABEL_BYTES = 255;

    private static final byte[] NO_LABEL = new byte[0];

    public WireOptions {
        if (encryptionVersion != 0 && encryptionVersion != 1) {
            throw new IllegalArgumentException("encryption version must be 0 or 1, not " + encryptionVersion);
        }
        if (label != null && label.length > MAX_LABEL_BYTES) {
            throw new IllegalArgumentException("label of " + label.length + " bytes is longer than " + MAX_LABEL_BYTES);
        }
        label = label == null || label.length == 0 ? null : label.clone();
    }

    /** No compression, no encryption, no label: messages travel as they are. */
    public static WireOptions plain() {
        return new WireOptions(false, null, 1, true, true, null, false);
    }

    /** Go's {@code EncryptionEnabled()}: a keyring holding at least one key. */
    public boolean encryptionEnabled() {
        return keyring != null && !keyring.isEmpty();
    }

    /** True when a label is configured. */
    public boolean hasLabel() {
        return label != null;
    }

    /** The label (a copy), or null when none is configured. */
    @Override
    public byte[] label() {
        return label == null ? null : label.clone();
    }

    /** The label bytes without copying, empty when none; not to be modified. */
    byte[] labelOrEmpty() {
        return label == null ? NO_LABEL : label;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WireOptions w && compression == w.compression && keyring == w.keyring
                && encryptionVersion == w.encryptionVersion && gossipVerifyIncoming == w.gossipVerifyIncoming
                && gossipVerifyOutgoing == w.gossipVerifyOutgoing && Arrays.equals(label, w.label)
                && skipInboundLabelCheck == w.skipInboundLabelCheck;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(label) * 31 + Boolean.hashCode(compression) * 7 + encryptionVersion;
    }

    @Override
    public String toString() {
        return "WireOptions[compression=" + compression + ", encryption=" + encryptionEnabled()
                + ", encryptionVersion=" + encryptionVersion + ", verifyIncoming=" + gossipVerifyIncoming
                + ", verifyOutgoing=" + gossipVerifyOutgoing + ", label=" + (label == null ? "none" : label.length + " bytes")
                + ", skipInboundLabelCheck=" + skipInboundLabelCheck + "]";
    }
}
