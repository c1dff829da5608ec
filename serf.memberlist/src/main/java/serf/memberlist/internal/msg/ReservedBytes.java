package serf.memberlist.internal.msg;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import serf.wire.DecodeException;
import serf.wire.InputBudget;

/**
 * Reads a length a peer declared without trusting it: the caller has already reserved the
 * {@code n} bytes the result will hold; the buffer starts small and doubles only as bytes actually
 * arrive, and the copy that is discarded at each doubling is reserved for as long as both exist. A
 * peer that declares 16 MiB and sends 10 bytes costs a small buffer until its deadline.
 */
final class ReservedBytes {
    /** The first buffer; a declared length above it is not allocated before its bytes arrive. */
    static final int FIRST_CHUNK = 64 * 1024;

    private ReservedBytes() {
    }

    /**
     * Exactly {@code n} bytes from {@code in}.
     *
     * @param r      already holds the {@code n} bytes of the result; grown transiently while copying
     * @param offset where these bytes start in the stream (for the truncation error)
     * @throws DecodeException       (truncated) when the stream ends first
     * @throws InputRefusedException when the transient copy cannot be reserved
     */
    static byte[] read(InputStream in, int n, InputBudget.Reservation r, int offset, String what) throws IOException {
        byte[] buf = new byte[Math.min(n, FIRST_CHUNK)];
        int len = 0;
        while (true) {
            int got = in.readNBytes(buf, len, buf.length - len);
            len += got;
            if (len == n) {
                return buf;
            }
            if (len < buf.length) {
                throw DecodeException.truncated("stream ended after " + len + " of " + n + " " + what, offset + len);
            }
            int old = buf.length;
            r.grow(old); // the old copy, while the new one is filled from it
            try {
                buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * old));
            } finally {
                r.shrink(old);
            }
        }
    }
}
