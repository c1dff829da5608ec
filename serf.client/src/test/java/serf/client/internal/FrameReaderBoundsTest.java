package serf.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import serf.wire.DecodeException;
import serf.wire.InputBudget;
import serf.wire.InputRefusedException;
import serf.wire.MsgpackWriter;

/** The frame reader is linear in the bytes it receives, and holds only what its budget admits. */
class FrameReaderBoundsTest {

    /** Hands out one byte per read, as the slowest client would send them. */
    private static InputStream oneByteAtATime(byte[] bytes) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < bytes.length ? bytes[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= bytes.length) {
                    return -1;
                }
                if (len == 0) {
                    return 0;
                }
                b[off] = bytes[pos++];
                return 1;
            }
        };
    }

    @Test
    void aOneMebibyteFrameTrickledByteByByteIsMeasuredInLinearSteps() throws IOException {
        MsgpackWriter w = MsgpackWriter.rpc();
        w.writeBin(new byte[(1 << 20) - 16]);
        byte[] frame = w.toByteArray();
        long t0 = System.nanoTime();
        FrameReader r = new FrameReader(oneByteAtATime(frame), 1 << 20);
        assertThat(r.next()).isEqualTo(frame);
        long elapsed = System.nanoTime() - t0;
        // One step per header and one per arrival of payload bytes: about one per byte received, never
        // a re-walk of what is already buffered (that would be ~n²/2 = 5·10¹¹ here).
        assertThat(r.steps()).isLessThanOrEqualTo(frame.length + 4L);
        assertThat(r.next()).isNull();
        System.out.printf("1 MiB frame, byte by byte: %d steps, %d ms%n", r.steps(), elapsed / 1_000_000);
    }

    @Test
    void aNestedStructureTrickledByteByByteIsLinearToo() throws IOException {
        MsgpackWriter w = MsgpackWriter.rpc();
        int n = 50_000;
        w.writeArrayHeader(n);
        for (int i = 0; i < n; i++) {
            w.writeMapHeader(1);
            w.writeString("k");
            w.writeInt(i * 1000L);
        }
        byte[] frame = w.toByteArray();
        FrameReader r = new FrameReader(oneByteAtATime(frame), 1 << 20);
        assertThat(r.next()).isEqualTo(frame);
        // Headers: 1 + 3 per element; payload arrivals: 1 per string ("k").
        assertThat(r.steps()).isLessThanOrEqualTo(1 + 4L * n + 1);
    }

    @Test
    void everyBufferedByteIsReservedAndGivenBack() throws IOException {
        InputBudget budget = InputBudget.ofBytes(4 << 20);
        MsgpackWriter w = MsgpackWriter.rpc();
        w.writeBin(new byte[600_000]);
        w.writeString("after");
        FrameReader r = new FrameReader(new ByteArrayInputStream(w.toByteArray()), 1 << 20, budget);
        assertThat(r.next()).hasSize(600_005);
        // The buffer that held it and the copy handed out were both accounted for; the copy stays
        // reserved until the next call, the large buffer was given back at once.
        assertThat(budget.peak()).isGreaterThanOrEqualTo(600_005L * 2);
        assertThat(budget.inUse()).isEqualTo(600_005L + 8192);
        assertThat(r.next()).hasSize(6);
        // Nothing buffered any more: an idle connection holds a small buffer only.
        assertThat(budget.inUse()).isEqualTo(256 + 6);
        assertThat(r.next()).isNull();
        r.close();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aFrameTheBudgetCannotHoldIsRefusedAndNothingStaysReserved() {
        InputBudget budget = InputBudget.ofBytes(256 * 1024);
        MsgpackWriter w = MsgpackWriter.rpc();
        w.writeBin(new byte[500_000]);
        FrameReader r = new FrameReader(new ByteArrayInputStream(w.toByteArray()), 1 << 20, budget);
        assertThatThrownBy(r::next).isInstanceOf(InputRefusedException.class);
        assertThat(budget.refusals()).isEqualTo(1);
        assertThat(budget.peak()).isLessThanOrEqualTo(256 * 1024);
        r.close();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void aDeclaredLengthBeyondTheBoundIsRefusedBeforeItsBytesArrive() {
        InputBudget budget = InputBudget.ofBytes(1 << 20);
        byte[] header = {(byte) 0xc6, 0x00, 0x0f, 0x42, 0x40}; // bin 32 of 1,000,000 bytes, none sent
        FrameReader r = new FrameReader(new ByteArrayInputStream(header), 4096, budget);
        assertThatThrownBy(r::next).isInstanceOf(DecodeException.class).hasMessageContaining("4096");
        assertThat(budget.peak()).isLessThanOrEqualTo(4097);
        r.close();
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void theBoundCanBeRaisedAfterAuthentication() throws IOException {
        MsgpackWriter w = MsgpackWriter.rpc();
        w.writeString("hs");
        w.writeBin(new byte[10_000]);
        FrameReader r = new FrameReader(new ByteArrayInputStream(w.toByteArray()), 4096);
        assertThat(r.next()).hasSize(3);
        r.maxObjectBytes(1 << 20);
        assertThat(r.next()).hasSize(10_003);
    }

    @Test
    void nestingIsBounded() {
        byte[] deep = new byte[40];
        java.util.Arrays.fill(deep, (byte) 0x91);
        FrameReader r = new FrameReader(new ByteArrayInputStream(deep), 4096);
        assertThatThrownBy(r::next).isInstanceOf(DecodeException.class).hasMessageContaining("nesting");
    }
}
