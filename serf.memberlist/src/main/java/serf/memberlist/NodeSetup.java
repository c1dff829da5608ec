package serf.memberlist;

import java.nio.charset.StandardCharsets;
import java.util.List;
import serf.crypto.Keyring;
import serf.memberlist.internal.msg.WireOptions;

/**
 * What {@link Memberlist#create} settles from the configuration before a node exists: whether the
 * settings are usable (Go's error texts where Go has them), the keyring (the config's, with the
 * secret key added and made primary), and how packets and streams are framed.
 */
final class NodeSetup {
    private NodeSetup() {
    }

    /** @throws IllegalArgumentException for settings a node cannot run with */
    static void validate(MemberlistConfig c) {
        if (c.name() == null || c.name().isEmpty()) {
            throw new IllegalArgumentException("a node name is required");
        }
        int min = Memberlist.PROTOCOL_VERSION_MIN;
        int max = Memberlist.PROTOCOL_VERSION_MAX;
        if (c.protocolVersion() < min || c.protocolVersion() > max) {
            throw new IllegalArgumentException("protocol version '" + c.protocolVersion()
                    + "' too " + (c.protocolVersion() < min ? "low" : "high")
                    + ". Must be in range: [" + min + ", " + max + "]");
        }
        if (c.label().length() > 255) {
            throw new IllegalArgumentException("label is too long: " + c.label().length() + " > 255");
        }
        if (c.streamCapBase() <= 0 || c.streamCapPerNode() < 0) {
            throw new IllegalArgumentException("stream cap must be positive: base " + c.streamCapBase()
                    + ", per node " + c.streamCapPerNode());
        }
    }

    /** {@return the config's keyring with its secret key added and in use; null when neither is set} */
    static Keyring keyring(MemberlistConfig c) {
        Keyring ring = c.keyring();
        if (c.secretKey() != null) {
            if (ring == null) {
                ring = Keyring.of(List.of(), c.secretKey());
            } else {
                ring.addKey(c.secretKey());
                ring.useKey(c.secretKey());
            }
        }
        return ring;
    }

    /** {@return the framing of packets and streams, fixed for the node's life (keys rotate inside the keyring)} */
    static WireOptions wireOptions(MemberlistConfig config, Keyring keyring) {
        Keyring ring = keyring != null && !keyring.isEmpty() ? keyring : null;
        byte[] label = config.label().isEmpty() ? null : config.label().getBytes(StandardCharsets.UTF_8);
        return new WireOptions(config.enableCompression(), ring, config.protocolVersion() < 2 ? 0 : 1,
                config.gossipVerifyIncoming(), config.gossipVerifyOutgoing(), label, config.skipInboundLabelCheck());
    }
}
