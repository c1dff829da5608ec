package serf.client.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import serf.wire.DecodeException;
import serf.wire.DecodeLimits;
import serf.wire.InputBudget;

/**
 * Splits a byte stream of concatenated msgpack objects (the RPC framing: no length prefix) into
 * one object at a time. Requests may be split over reads arbitrarily and several may arrive in one
 * read. Not thread-safe: one reader thread per connection.
 *
 * <p><b>Linear.</b> The object being received is measured incrementally: a small state machine
 * keeps, per open array/map, how many items are still to come and, inside a string, binary or
 * extension, how many payload bytes; each byte that arrives is looked at once (a header when it
 * is complete, a payload as one skip). Nothing is ever re-parsed from the start of the object, so
 * a frame trickled in one byte per read costs O(its length) ({@link #steps()} counts the work).
 *
 * <p><b>Bounded and budgeted.</b> An object larger than {@link #maxObjectBytes()} is refused with
 * a {@link DecodeException} as soon as a declared length or the buffered bytes show it, before those
 * bytes arrive. Every byte this reader holds (its buffer, and the last object it handed out until
 * the next call) is reserved from an {@link InputBudget} before it is allocated; when the budget
 * cannot cover it, {@link #next()} throws {@link serf.wire.InputRefusedException}. {@link #close()}
 * gives everything back.
 */
public final class FrameReader implements AutoCloseable {
    /** Default bound on one object (header or body). */
    public static final int DEFAULT_MAX_OBJECT_BYTES = 1 << 20;

    /** What an idle connection holds: enough for a typical request's header in one read. */
    private static final int IDLE_BUFFER = 256;
    /** What a connection keeps after a large object when a little of the next one is buffered. */
    private static final int SMALL_BUFFER = 8192;
    private static final int MAX_DEPTH = 32;

    private final InputStream in;
    private final InputBudget.Reservation held;
    private int maxObjectBytes;
    private DecodeLimits limits;
    private byte[] buf = new byte[0];
    private int start;
    private int end;
    private long consumed;
    private int lastHandedOut;

    // The incremental measurement of the object that starts at `start`.
    private int scan;
    private long payloadLeft;
    private final int[] itemsLeft = new int[MAX_DEPTH];
    private int depth;
    private long steps;
    private long frameStartNanos;

    /** Unbudgeted (a client reading its own agent's answers), {@link #DEFAULT_MAX_OBJECT_BYTES}. */
    public FrameReader(InputStream in) {
        this(in, DEFAULT_MAX_OBJECT_BYTES);
    }

    /** Unbudgeted, with a bound on one object. */
    public FrameReader(InputStream in, int maxObjectBytes) {
        this(in, maxObjectBytes, InputBudget.ofBytes(Long.MAX_VALUE));
    }

    /** Bounded and drawing every byte it holds from {@code budget}. */
    public FrameReader(InputStream in, int maxObjectBytes, InputBudget budget) {
        this.in = Objects.requireNonNull(in, "in");
        this.held = budget.tryReserve(0);
        maxObjectBytes(maxObjectBytes);
    }

    /**
     * Changes the bound on one object (the RPC server raises it once a client has authenticated). The
     * object being received, if any, is measured against the new bound from now on.
     */
    public void maxObjectBytes(int maxObjectBytes) {
        if (maxObjectBytes < 16) {
            throw new IllegalArgumentException("maxObjectBytes too small: " + maxObjectBytes);
        }
        this.maxObjectBytes = maxObjectBytes;
        this.limits = new DecodeLimits(MAX_DEPTH, maxObjectBytes, maxObjectBytes);
    }

    /** The bound on one object now. */
    public int maxObjectBytes() {
        return maxObjectBytes;
    }

    /** The limits objects are measured (and should be decoded) with. */
    public DecodeLimits limits() {
        return limits;
    }

    /** Bytes handed out so far (the stream offset of the next object). */
    public long offset() {
        return consumed;
    }

    /** Units of measuring work done so far (headers parsed plus payload skips): linear in the bytes received. */
    public long steps() {
        return steps;
    }

    /** Bytes of an object not yet complete are buffered. */
    public boolean partial() {
        return end > start;
    }

    /** {@link System#nanoTime()} when the first byte of the buffered partial object arrived. */
    public long partialSinceNanos() {
        return frameStartNanos;
    }

    /**
     * The next complete msgpack object, or null when the stream ends cleanly between objects.
     *
     * @throws EOFException    if the stream ends inside an object
     * @throws DecodeException if the bytes are not msgpack or the object exceeds the bound
     * @throws serf.wire.InputRefusedException if the input budget cannot hold the object
     */
    public byte[] next() throws IOException {
        held.shrink(lastHandedOut);
        lastHandedOut = 0;
        while (true) {
            if (measure()) {
                int n = scan - start;
                held.grow(n); // the copy handed out, held until the next call
                byte[] out = Arrays.copyOfRange(buf, start, scan);
                lastHandedOut = n;
                start = scan;
                consumed += n;
                frameStartNanos = System.nanoTime();
                shrinkBuffer();
                return out;
            }
            if (end - start >= maxObjectBytes) {
                throw tooLarge();
            }
            if (!fill()) {
                if (end == start) {
                    return null;
                }
                throw new EOFException("stream ended inside a msgpack object (" + (end - start) + " bytes buffered)");
            }
        }
    }

    /** Advances the measurement over the bytes buffered; true when the object at {@code start} is complete. */
    private boolean measure() {
        while (true) {
            if (payloadLeft > 0) {
                int available = end - scan;
                if (available == 0) {
                    return false;
                }
                int n = (int) Math.min(payloadLeft, available);
                scan += n;
                payloadLeft -= n;
                steps++;
                if (payloadLeft > 0) {
                    return false;
                }
                if (itemDone()) {
                    return true;
                }
                continue;
            }
            if (scan == end) {
                return false;
            }
            int lead = buf[scan] & 0xff;
            int headerBytes = headerBytes(lead);
            if (end - scan < headerBytes) {
                return false;
            }
            steps++;
            long payload = 0;
            long items = -1; // -1: not an array or map
            switch (lead) {
                case 0xc4, 0xd9 -> payload = u8(scan + 1);
                case 0xc5, 0xda -> payload = u16(scan + 1);
                case 0xc6, 0xdb -> payload = u32(scan + 1);
                case 0xc7 -> payload = u8(scan + 1);
                case 0xc8 -> payload = u16(scan + 1);
                case 0xc9 -> payload = u32(scan + 1);
                case 0xd4 -> payload = 1;
                case 0xd5 -> payload = 2;
                case 0xd6 -> payload = 4;
                case 0xd7 -> payload = 8;
                case 0xd8 -> payload = 16;
                case 0xdc -> items = u16(scan + 1);
                case 0xdd -> items = u32(scan + 1);
                case 0xde -> items = 2 * u16(scan + 1);
                case 0xdf -> items = 2 * u32(scan + 1);
                case 0xc1 -> throw new DecodeException("malformed object: reserved byte 0xc1", offsetOf(scan));
                default -> {
                    if (lead >= 0xa0 && lead <= 0xbf) {
                        payload = lead & 0x1f;
                    } else if (lead >= 0x90 && lead <= 0x9f) {
                        items = lead & 0x0f;
                    } else if (lead >= 0x80 && lead <= 0x8f) {
                        items = 2L * (lead & 0x0f);
                    }
                }
            }
            scan += headerBytes;
            long room = (long) maxObjectBytes - (scan - start);
            // Every item takes at least one byte, so a declared length or count beyond the room left
            // already shows the object is too large: refused before its bytes arrive.
            if (payload > room || items > room) {
                throw tooLarge();
            }
            if (items > 0) {
                if (depth >= MAX_DEPTH) {
                    throw new DecodeException("malformed object: nesting deeper than " + MAX_DEPTH, offsetOf(scan));
                }
                itemsLeft[depth++] = (int) items;
                continue;
            }
            if (payload > 0) {
                payloadLeft = payload;
                continue;
            }
            if (itemDone()) {
                return true;
            }
        }
    }

    /** One item ended: counts it off its enclosing levels; true when the top-level object is complete. */
    private boolean itemDone() {
        while (depth > 0) {
            if (--itemsLeft[depth - 1] > 0) {
                return false;
            }
            depth--;
        }
        return true;
    }

    /** Bytes of a header (lead byte included) before its payload or items. */
    private static int headerBytes(int lead) {
        return switch (lead) {
            case 0xcc, 0xd0, 0xc4, 0xd9, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8 -> 2;
            case 0xcd, 0xd1, 0xc5, 0xda, 0xdc, 0xde, 0xc7 -> 3;
            case 0xc8 -> 4;
            case 0xca, 0xce, 0xd2, 0xc6, 0xdb, 0xdd, 0xdf -> 5;
            case 0xc9 -> 6;
            case 0xcb, 0xcf, 0xd3 -> 9;
            default -> 1;
        };
    }

    private long u8(int at) {
        return buf[at] & 0xffL;
    }

    private long u16(int at) {
        return ((buf[at] & 0xffL) << 8) | (buf[at + 1] & 0xffL);
    }

    private long u32(int at) {
        return ((buf[at] & 0xffL) << 24) | ((buf[at + 1] & 0xffL) << 16) | ((buf[at + 2] & 0xffL) << 8) | (buf[at + 3] & 0xffL);
    }

    private int offsetOf(int index) {
        return (int) Math.min(Integer.MAX_VALUE, consumed + (index - start));
    }

    private DecodeException tooLarge() {
        return new DecodeException("object exceeds " + maxObjectBytes + " bytes", (int) Math.min(Integer.MAX_VALUE, consumed));
    }

    /** Reads more bytes; false at end of stream. Any growth of the buffer is reserved first. */
    private boolean fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            scan -= start;
            start = 0;
        }
        if (end == buf.length) {
            // Room for one more byte past the bound, so an oversized object is detected, not stalled on.
            int grown = (int) Math.min(Math.max((long) buf.length * 2, IDLE_BUFFER), (long) maxObjectBytes + 1);
            if (grown <= buf.length) {
                throw tooLarge();
            }
            held.grow(grown - buf.length);
            buf = Arrays.copyOf(buf, grown);
        }
        boolean wasEmpty = end == start;
        int r = in.read(buf, end, buf.length - end);
        if (r < 0) {
            return false;
        }
        if (wasEmpty && r > 0) {
            frameStartNanos = System.nanoTime();
        }
        end += r;
        return true;
    }

    /**
     * After an object was handed out, goes back to a small buffer (and gives the difference back): an
     * idle connection holds {@value #IDLE_BUFFER} bytes, one with part of its next object buffered at
     * most {@value #SMALL_BUFFER} unless that object needs more.
     */
    private void shrinkBuffer() {
        int left = end - start;
        int target = left == 0 ? IDLE_BUFFER : SMALL_BUFFER;
        if (buf.length <= target || left > target) {
            return;
        }
        byte[] small = new byte[target];
        System.arraycopy(buf, start, small, 0, left);
        int before = buf.length;
        buf = small;
        end = left;
        scan -= start;
        start = 0;
        held.shrink(before - target);
    }

    /** Bytes this reader holds from its budget now. */
    public long reservedBytes() {
        return held.bytes();
    }

    /** Gives every reserved byte back; the reader must not be used afterwards. */
    @Override
    public void close() {
        held.close();
        buf = new byte[0];
        start = end = scan = 0;
    }
}
