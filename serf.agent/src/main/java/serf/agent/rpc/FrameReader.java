package serf.agent.rpc;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import serf.wire.DecodeException;
import serf.wire.DecodeLimits;
import serf.wire.MsgpackReader;

/**
 * Splits a byte stream of concatenated msgpack objects (the RPC framing: no length prefix) into
 * one object at a time. Requests may be split over reads arbitrarily and several may arrive in one
 * read. The buffer is bounded: an object larger than {@code maxObjectBytes} is refused with a
 * {@link DecodeException} instead of buffered. Not thread-safe: one reader thread per connection.
 */
public final class FrameReader {
    /** Default bound on one object (header or body). */
    public static final int DEFAULT_MAX_OBJECT_BYTES = 1 << 20;

    private final InputStream in;
    private final int maxObjectBytes;
    private final DecodeLimits limits;
    private byte[] buf = new byte[8192];
    private int start;
    private int end;
    private long consumed;

    public FrameReader(InputStream in) {
        this(in, DEFAULT_MAX_OBJECT_BYTES);
    }

    public FrameReader(InputStream in, int maxObjectBytes) {
        this.in = Objects.requireNonNull(in, "in");
        if (maxObjectBytes < 16) {
            throw new IllegalArgumentException("maxObjectBytes too small: " + maxObjectBytes);
        }
        this.maxObjectBytes = maxObjectBytes;
        this.limits = new DecodeLimits(32, maxObjectBytes, maxObjectBytes);
    }

    /** The limits objects are measured (and should be decoded) with. */
    public DecodeLimits limits() {
        return limits;
    }

    /** Bytes handed out so far (the stream offset of the next object). */
    public long offset() {
        return consumed;
    }

    /**
     * The next complete msgpack object, or null when the stream ends cleanly between objects.
     *
     * @throws EOFException    if the stream ends inside an object
     * @throws DecodeException if the bytes are not msgpack or the object exceeds the bound
     */
    public byte[] next() throws IOException {
        while (true) {
            if (end > start) {
                int n;
                try {
                    n = MsgpackReader.measure(buf, start, end - start, limits);
                } catch (DecodeException e) {
                    throw new DecodeException("malformed object: " + e.getMessage(), (int) Math.min(Integer.MAX_VALUE, consumed));
                }
                if (n > 0) {
                    byte[] out = Arrays.copyOfRange(buf, start, start + n);
                    start += n;
                    consumed += n;
                    return out;
                }
                if (end - start >= maxObjectBytes) {
                    throw new DecodeException("object exceeds " + maxObjectBytes + " bytes", (int) Math.min(Integer.MAX_VALUE, consumed));
                }
            }
            if (!fill()) {
                if (end == start) {
                    return null;
                }
                throw new EOFException("stream ended inside a msgpack object (" + (end - start) + " bytes buffered)");
            }
        }
    }

    /** Reads more bytes; false at end of stream. */
    private boolean fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buf.length) {
            // Room for one more byte past the bound, so an oversized object is detected, not stalled on.
            int grown = (int) Math.min((long) buf.length * 2, (long) maxObjectBytes + 1);
            buf = Arrays.copyOf(buf, grown);
        }
        int r = in.read(buf, end, buf.length - end);
        if (r < 0) {
            return false;
        }
        end += r;
        return true;
    }
}
