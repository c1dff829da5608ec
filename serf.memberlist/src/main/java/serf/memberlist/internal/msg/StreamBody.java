package serf.memberlist.internal.msg;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

import serf.wire.DecodeException;
import serf.wire.InputBudget;
import serf.wire.MsgpackReader;

/**
 * Where the body of a stream message (everything after its type byte) comes from: a buffer that was
 * decrypted or decompressed whole, or the connection itself. Go reads msgpack values and then raw
 * bytes from the same position; both sources do the same, and neither reads past what it needs.
 */
sealed interface StreamBody permits StreamBody.Buffered, StreamBody.Wire {

    /**
     * A reader positioned at the next msgpack value; the caller reads exactly that one value before
     * asking for the next (a body read from the wire reuses its buffer).
     */
    MsgpackReader nextValue() throws IOException;

    /** The encoded size of the value {@link #nextValue} returned last. */
    int valueSize();

    /** Exactly {@code n} raw bytes (user state, user message), reserved before they are read. */
    byte[] raw(int n) throws IOException;

    /** Bytes of the body consumed so far, for error offsets. */
    int offset();

    /** A body that is already in memory (its bytes are reserved by whoever holds the buffer). */
    final class Buffered implements StreamBody {
        private final byte[] buf;
        private final int start;
        private final int end;
        private final MsgpackReader reader;
        private final InputBudget.Reservation reservation;
        private int valueSize;

        Buffered(byte[] buf, int off, int len, InputBudget.Reservation reservation) {
            this.buf = buf;
            this.start = off;
            this.end = off + len;
            this.reader = new MsgpackReader(buf, off, len, MessageCodec.LIMITS);
            this.reservation = reservation;
        }

        @Override
        public MsgpackReader nextValue() {
            int at = start + reader.position();
            // -1: the value is cut short; the decoder reports that, having allocated nothing large.
            valueSize = at >= end ? 0 : Math.max(0, MsgpackReader.measure(buf, at, end - at, MessageCodec.LIMITS));
            return reader;
        }

        @Override
        public int valueSize() {
            return valueSize;
        }

        @Override
        public byte[] raw(int n) throws IOException {
            if (n > reader.remaining()) {
                return reader.readFixed(n); // fails as truncated, allocating nothing
            }
            reservation.grow(n); // the copy
            return reader.readFixed(n);
        }

        @Override
        public int offset() {
            return reader.position();
        }
    }

    /**
     * A body read straight from the connection. Each msgpack value is copied by walking its
     * structure, so exactly its bytes are read; the total is capped, and no length is allocated
     * before that many bytes have actually arrived. The one buffer that holds the current value is
     * reserved as it grows (and kept, reserved, for the next value until {@link #release}).
     */
    final class Wire implements StreamBody {
        private static final int CHUNK = 64 * 1024;

        private final InputStream in;
        private final int base;
        private final InputBudget.Reservation reservation;
        private long budget;
        private int consumed;

        // The value being copied.
        private byte[] buf = new byte[0];
        private int len;
        private int cap;

        /**
         * @param base        offset of the body in the stream (for error messages)
         * @param budget      the most bytes this body may read in total
         * @param reservation grown before the value buffer grows and before raw bytes are read
         */
        Wire(InputStream in, int base, long budget, InputBudget.Reservation reservation) {
            this.in = in;
            this.base = base;
            this.budget = budget;
            this.reservation = reservation;
        }

        /** Lets go of the value buffer (its reservation too); the body can still be read after. */
        void release() {
            reservation.shrink(buf.length);
            buf = new byte[0];
        }

        @Override
        public int valueSize() {
            return len;
        }

        @Override
        public int offset() {
            return base + consumed;
        }

        @Override
        public MsgpackReader nextValue() throws IOException {
            len = 0;
            cap = (int) Math.min(budget, Integer.MAX_VALUE - 16);
            copy(0);
            consumed += len;
            budget -= len;
            return new MsgpackReader(buf, 0, len, MessageCodec.LIMITS);
        }

        @Override
        public byte[] raw(int n) throws IOException {
            if (n < 0 || n > budget) {
                throw new DecodeException("raw length " + n + " exceeds the stream limit", offset());
            }
            reservation.grow(n);
            // Allocated as the bytes arrive, so a lying length costs its reservation only.
            byte[] out = ReservedBytes.read(in, n, reservation, offset(), "bytes");
            consumed += n;
            budget -= n;
            return out;
        }

        /** Copies one msgpack value; {@code depth} counts the containers around it. */
        private void copy(int depth) throws IOException {
            int b = take();
            if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
                return;
            }
            if (b <= 0x8f) {
                entries(b & 0x0f, 2, depth);
                return;
            }
            if (b <= 0x9f) {
                entries(b & 0x0f, 1, depth);
                return;
            }
            if (b <= 0xbf) {
                takeN(b & 0x1f);
                return;
            }
            switch (b) {
                case 0xcc, 0xd0 -> takeN(1);
                case 0xcd, 0xd1 -> takeN(2);
                case 0xce, 0xd2, 0xca -> takeN(4);
                case 0xcf, 0xd3, 0xcb -> takeN(8);
                case 0xd9, 0xc4 -> takeN(takeUnsigned(1));
                case 0xda, 0xc5 -> takeN(takeUnsigned(2));
                case 0xdb, 0xc6 -> takeN(takeUnsigned(4));
                case 0xd4 -> takeN(2);
                case 0xd5 -> takeN(3);
                case 0xd6 -> takeN(5);
                case 0xd7 -> takeN(9);
                case 0xd8 -> takeN(17);
                case 0xc7 -> takeN(takeUnsigned(1) + 1);
                case 0xc8 -> takeN(takeUnsigned(2) + 1);
                case 0xc9 -> takeN(takeUnsigned(4) + 1);
                case 0xdc -> entries(takeUnsigned(2), 1, depth);
                case 0xdd -> entries(takeUnsigned(4), 1, depth);
                case 0xde -> entries(takeUnsigned(2), 2, depth);
                case 0xdf -> entries(takeUnsigned(4), 2, depth);
                default -> throw new DecodeException("reserved msgpack byte 0xc1", offset() + len - 1);
            }
        }

        private void entries(long n, int valuesEach, int depth) throws IOException {
            if (n == 0) {
                return;
            }
            if (depth + 1 > MessageCodec.LIMITS.maxDepth()) {
                throw new DecodeException("msgpack nested deeper than " + MessageCodec.LIMITS.maxDepth(), offset() + len);
            }
            // Every element takes at least one byte, so the cap also bounds this loop.
            if (n * valuesEach > cap - len) {
                throw new DecodeException("collection of " + n + " entries exceeds the stream limit", offset() + len);
            }
            for (long i = 0; i < n * valuesEach; i++) {
                copy(depth + 1);
            }
        }

        private int take() throws IOException {
            if (len >= cap) {
                throw new DecodeException("msgpack value exceeds the stream limit of " + cap + " bytes", offset() + len);
            }
            int b = in.read();
            if (b < 0) {
                throw DecodeException.truncated("stream ended inside a msgpack value", offset() + len);
            }
            ensure(1);
            buf[len++] = (byte) b;
            return b;
        }

        private long takeUnsigned(int n) throws IOException {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 8 | take();
            }
            return v;
        }

        private void takeN(long n) throws IOException {
            if (n > cap - len) {
                throw new DecodeException("msgpack value of " + n + " bytes exceeds the stream limit", offset() + len);
            }
            int left = (int) n;
            while (left > 0) {
                int step = Math.min(left, CHUNK);
                ensure(step);
                int got = in.readNBytes(buf, len, step);
                len += got;
                if (got < step) {
                    throw DecodeException.truncated("stream ended inside a msgpack value", offset() + len);
                }
                left -= step;
            }
        }

        private void ensure(int more) throws IOException {
            if (len + more > buf.length) {
                int old = buf.length;
                int bigger = (int) Math.min(cap, Math.max(Math.max(256L, (long) old * 2), (long) len + more));
                reservation.grow(bigger); // both copies exist until the old one is let go
                buf = Arrays.copyOf(buf, bigger);
                reservation.shrink(old);
            }
        }
    }
}
