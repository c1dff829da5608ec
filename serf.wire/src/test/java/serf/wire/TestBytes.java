package serf.wire;

import java.util.HexFormat;

/** Hex and byte-array helpers for the tests. */
final class TestBytes {
    private static final HexFormat HEX = HexFormat.of();

    private TestBytes() {
    }

    static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    static String toHex(byte[] b) {
        return HEX.formatHex(b);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
