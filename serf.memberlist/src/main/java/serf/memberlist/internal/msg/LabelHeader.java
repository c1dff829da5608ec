package serf.memberlist.internal.msg;

import java.util.Arrays;

import serf.wire.DecodeException;

/**
 * The memberlist ≥ 0.3 cluster label header, {@code f4 | len (1..255) | label}, in front of a packet
 * or a stream. Go 0.2.2 knows nothing of it (Trap 10), so it is only written when a label is set.
 * The label also becomes GCM additional data: alone for packets, after the 5 stream header bytes
 * for streams.
 */
final class LabelHeader {
    static final int TYPE = MessageType.HAS_LABEL.code();

    private LabelHeader() {
    }

    /** The header bytes for a label, or an empty array for none. */
    static byte[] of(WireOptions o) {
        if (!o.hasLabel()) {
            return new byte[0];
        }
        byte[] label = o.labelOrEmpty();
        byte[] h = new byte[2 + label.length];
        h[0] = (byte) TYPE;
        h[1] = (byte) label.length;
        System.arraycopy(label, 0, h, 2, label.length);
        return h;
    }

    /** A packet split into its label (null when unlabeled) and where the rest starts. */
    record Split(byte[] label, int restOffset) {
    }

    /** Removes a label header from the front of {@code buf[off, off+len)} if there is one. */
    static Split parse(byte[] buf, int off, int len) {
        if (len == 0 || (buf[off] & 0xff) != TYPE) {
            return new Split(null, off);
        }
        if (len < 2) {
            throw DecodeException.truncated("cannot decode label; packet has been truncated", 1);
        }
        int size = buf[off + 1] & 0xff;
        if (size < 1) {
            throw new DecodeException("label header cannot be empty when present", 1);
        }
        if (len < 2 + size) {
            throw DecodeException.truncated("cannot decode label; packet has been truncated", 2);
        }
        return new Split(Arrays.copyOfRange(buf, off + 2, off + 2 + size), off + 2 + size);
    }

    /**
     * Applies the upstream label rules to a received label (null = none) and returns the label to use
     * as additional data, or null when the input must be discarded; {@code problem[0]} then says why.
     */
    static byte[] accept(byte[] received, WireOptions o, String[] problem) {
        byte[] effective = received;
        if (o.skipInboundLabelCheck()) {
            if (received != null) {
                problem[0] = "unexpected double label header";
                return null;
            }
            effective = o.hasLabel() ? o.labelOrEmpty() : null;
        }
        byte[] mine = o.hasLabel() ? o.labelOrEmpty() : null;
        if (!Arrays.equals(mine, effective)) {
            problem[0] = "discarding input with unacceptable label \"" + printable(effective) + "\"";
            return null;
        }
        return effective == null ? new byte[0] : effective;
    }

    private static String printable(byte[] label) {
        if (label == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : label) {
            int c = b & 0xff;
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }
}
