package serf.memberlist.internal.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import serf.crypto.Keyring;
import serf.memberlist.internal.msg.Message.Ping;
import serf.memberlist.internal.msg.Message.PushNodeState;
import serf.memberlist.internal.msg.Message.PushPull;
import serf.wire.DecodeException;
import serf.wire.InputBudget;
import serf.wire.InputRefusedException;

/** Every path of StreamCodec and PacketCodec reserves input memory first and gives all of it back. */
class InputBudgetCodecTest {
    private static final byte[] KEY = MsgVectors.hex("000102030405060708090a0b0c0d0e0f");
    private static final WireOptions ENC = new WireOptions(false, Keyring.of(List.of(), KEY), 1, true, true, null, false);
    private static final WireOptions ENC_LZW = new WireOptions(true, Keyring.of(List.of(), KEY), 1, true, true, null, false);
    private static final WireOptions LZW = new WireOptions(true, null, 1, true, true, null, false);
    private static final int USER_MAX = 20 << 20;

    /** A stream that serves some bytes, then fails as a read deadline would; counts what was read. */
    private static final class StallingStream extends InputStream {
        private final byte[] data;
        int pos;

        StallingStream(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() throws IOException {
            if (pos >= data.length) {
                throw new SocketTimeoutException("Read timed out");
            }
            return data[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos >= data.length) {
                throw new SocketTimeoutException("Read timed out");
            }
            int n = Math.min(len, data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static byte[] encryptedHeader(long declared) {
        return ByteBuffer.allocate(5).put((byte) MessageType.ENCRYPT.code()).putInt((int) declared).array();
    }

    private static PushPull pushPull(int nodes, int userBytes) {
        List<PushNodeState> states = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            states.add(new PushNodeState("node-" + i, new byte[] {127, 0, 0, 1}, 7946, new byte[40], i, 0,
                    new byte[] {1, 5, 2, 0, 0, 0}));
        }
        return new PushPull(false, states, userBytes == 0 ? null : new byte[userBytes]);
    }

    @Test
    void declaredEncryptedLengthOverTheCapIsRefusedBeforeTheBody() throws Exception {
        InputBudget budget = InputBudget.ofBytes(64 << 20);
        StallingStream in = new StallingStream(encryptedHeader(16 << 20));
        try (InputBudget.Reservation r = budget.reserve(0)) {
            assertThatThrownBy(() -> StreamCodec.read(in, ENC, USER_MAX, 1 << 20, r))
                    .isInstanceOfSatisfying(StreamRejectedException.class, e -> {
                        assertThat(e).hasMessage("Remote node state is larger than limit (16777216)");
                        assertThat(e.sendErrReply()).isTrue();
                    });
            assertThat(r.bytes()).isZero();
        }
        assertThat(in.pos).isEqualTo(5); // not a byte of the body
        assertThat(budget.inUse()).isZero();
        assertThat(budget.peak()).isZero();
    }

    @Test
    void declaredEncryptedLengthOverTheBudgetIsRefusedBeforeTheBody() throws Exception {
        InputBudget budget = InputBudget.ofBytes(256 << 10);
        StallingStream in = new StallingStream(encryptedHeader(1 << 20));
        try (InputBudget.Reservation r = budget.reserve(0)) {
            assertThatThrownBy(() -> StreamCodec.read(in, ENC, USER_MAX, 20 << 20, r))
                    .isInstanceOf(InputRefusedException.class);
        }
        assertThat(in.pos).isEqualTo(5);
        assertThat(budget.inUse()).isZero();
        assertThat(budget.refusals()).isEqualTo(1);
    }

    @Test
    void declaredButNeverSentBodyHoldsOnlyItsReservationUntilTheDeadline() throws Exception {
        InputBudget budget = InputBudget.ofBytes(64 << 20);
        byte[] sent = Arrays.copyOf(encryptedHeader(16 << 20), 15); // the header and 10 bytes
        StallingStream in = new StallingStream(sent);
        try (InputBudget.Reservation r = budget.reserve(0)) {
            assertThatThrownBy(() -> StreamCodec.read(in, ENC, USER_MAX, 20 << 20, r))
                    .isInstanceOf(SocketTimeoutException.class);
            // Reserved, not allocated: the buffer is the first chunk only (nothing grew past it).
            assertThat(r.bytes()).isEqualTo(16 << 20);
        }
        assertThat(budget.inUse()).isZero();
        assertThat(budget.peak()).isEqualTo(16 << 20);

        // The same for a plain push/pull whose user state is declared and never sent.
        byte[] wire = StreamCodec.frame(StreamCodec.encodePushPull(pushPull(3, 1 << 20)), WireOptions.plain(), null);
        StallingStream plain = new StallingStream(Arrays.copyOf(wire, wire.length - (1 << 20) + 10));
        try (InputBudget.Reservation r = budget.reserve(0)) {
            assertThatThrownBy(() -> StreamCodec.read(plain, WireOptions.plain(), USER_MAX, 20 << 20, r))
                    .isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(budget.inUse()).isZero();
    }

    @Test
    void plainUserStateLargerThanTheCapIsRefusedBeforeItIsRead() {
        InputBudget budget = InputBudget.ofBytes(64 << 20);
        byte[] wire = StreamCodec.frame(StreamCodec.encodePushPull(pushPull(2, 4 << 20)), WireOptions.plain(), null);
        StallingStream in = new StallingStream(wire);
        try (InputBudget.Reservation r = budget.reserve(0)) {
            assertThatThrownBy(() -> StreamCodec.read(in, WireOptions.plain(), USER_MAX, 1 << 20, r))
                    .isInstanceOf(DecodeException.class).hasMessageContaining("exceeds the stream limit");
        } catch (InputRefusedException e) {
            throw new AssertionError(e);
        }
        assertThat(in.pos).isLessThan(1024);
        assertThat(budget.inUse()).isZero();
        assertThat(budget.peak()).isLessThan(64 << 10);
    }

    @Test
    void lzwBombOnAStreamIsRefusedByTheCapAndByTheBudget() throws Exception {
        byte[] zeros = new byte[8 << 20];
        zeros[0] = (byte) MessageType.USER.code();
        byte[] bomb = StreamCodec.frame(zeros, LZW, null); // compress (type 9) of 8 MiB
        assertThat(bomb.length).isLessThan(64 << 10);

        InputBudget budget = InputBudget.ofBytes(64 << 20);
        try (InputBudget.Reservation r = budget.reserve(0)) {
            assertThatThrownBy(() -> StreamCodec.read(new ByteArrayInputStream(bomb), LZW, USER_MAX, 1 << 20, r))
                    .isInstanceOf(StreamRejectedException.class).hasMessageContaining("exceeds the limit");
        }
        assertThat(budget.inUse()).isZero();
        assertThat(budget.peak()).isLessThan(3 << 20); // never more output than the cap (+ its last doubling)

        InputBudget small = InputBudget.ofBytes(2 << 20);
        try (InputBudget.Reservation r = small.reserve(0)) {
            assertThatThrownBy(() -> StreamCodec.read(new ByteArrayInputStream(bomb), LZW, USER_MAX, 20 << 20, r))
                    .isInstanceOf(InputRefusedException.class);
        }
        assertThat(small.inUse()).isZero();
        assertThat(small.refusals()).isPositive();
    }

    @Test
    void lzwBombInAPacketIsRefusedByTheBudgetAndReleased() throws Exception {
        byte[] zeros = new byte[900 << 10];
        zeros[0] = (byte) MessageType.USER.code();
        byte[] bomb = MessageCodec.encodeCompress(Lzw.compress(zeros));
        InputBudget small = InputBudget.ofBytes(256 << 10);
        try (InputBudget.Reservation r = small.reserve(0)) {
            PacketCodec.Decoded d = PacketCodec.decode(bomb, r);
            assertThat(d.budgetRefused()).isTrue();
            assertThat(d.messages()).isEmpty();
            assertThat(r.bytes()).isZero();
        }
        assertThat(small.inUse()).isZero();

        // With room, the output is held by the reservation until the caller is done with it.
        InputBudget big = InputBudget.ofBytes(8 << 20);
        try (InputBudget.Reservation r = big.reserve(0)) {
            PacketCodec.Decoded d = PacketCodec.decode(bomb, r);
            assertThat(d.budgetRefused()).isFalse();
            assertThat(d.messages()).hasSize(1);
            assertThat(r.bytes()).isEqualTo(zeros.length);
        }
        assertThat(big.inUse()).isZero();

        // Past the packet cap of 1 MiB: a problem, not an allocation.
        byte[] larger = Arrays.copyOf(zeros, 3 << 20);
        byte[] bigBomb = MessageCodec.encodeCompress(Lzw.compress(larger));
        try (InputBudget.Reservation r = big.reserve(0)) {
            PacketCodec.Decoded d = PacketCodec.decode(bigBomb, r);
            assertThat(d.messages()).isEmpty();
            assertThat(d.problems()).singleElement().asString().contains("exceeds the limit");
        }
        assertThat(big.inUse()).isZero();
        assertThat(big.peak()).isLessThan((long) PacketCodec.MAX_DECOMPRESSED_BYTES + (1 << 20));
    }

    @Test
    void lzwReservesExactlyItsOutputAndGivesEverythingBackOnFailure() throws Exception {
        byte[] in = new byte[300_000];
        for (int i = 0; i < in.length; i++) {
            in[i] = (byte) (i * 31 % 7);
        }
        byte[] c = Lzw.compress(in);
        InputBudget budget = InputBudget.ofBytes(4 << 20);
        try (InputBudget.Reservation r = budget.reserve(0)) {
            assertThat(Lzw.decompress(c, 0, c.length, 1 << 20, r)).isEqualTo(in);
            assertThat(r.bytes()).isEqualTo(in.length);
            assertThatThrownBy(() -> Lzw.decompress(c, 0, c.length, 1000, r)).isInstanceOf(DecodeException.class);
            assertThatThrownBy(() -> Lzw.decompress(c, 0, c.length / 2, 1 << 20, r)).isInstanceOf(DecodeException.class);
            assertThat(r.bytes()).isEqualTo(in.length);
        }
        InputBudget tight = InputBudget.ofBytes(100_000);
        try (InputBudget.Reservation r = tight.reserve(0)) {
            assertThatThrownBy(() -> Lzw.decompress(c, 0, c.length, 1 << 20, r)).isInstanceOf(InputRefusedException.class);
            assertThat(r.bytes()).isZero();
        }
        assertThat(budget.inUse()).isZero();
        assertThat(tight.inUse()).isZero();
    }

    @Test
    void everyStreamHoldsAboutWhatItCarriesAndGivesItAllBackOnSuccessAndFailure() throws Exception {
        InputBudget budget = InputBudget.ofBytes(256 << 20);
        List<byte[]> messages = List.of(
                MessageCodec.encode(new Ping(7, "n", null, 0, "")),
                StreamCodec.encodeUserStream(new byte[50_000]),
                StreamCodec.encodePushPull(pushPull(0, 0)),
                StreamCodec.encodePushPull(pushPull(500, 0)),
                StreamCodec.encodePushPull(pushPull(200, 300_000)));
        for (WireOptions o : List.of(WireOptions.plain(), LZW, ENC, ENC_LZW)) {
            for (byte[] m : messages) {
                byte[] wire = StreamCodec.frame(m, o, null);
                try (InputBudget.Reservation r = budget.reserve(0)) {
                    Message read = StreamCodec.read(new ByteArrayInputStream(wire), o, USER_MAX, 20 << 20, r);
                    assertThat(read).isNotNull();
                    // The message is held: at least its size is reserved, and not many times more.
                    assertThat(r.bytes()).as("%s %d bytes", o, m.length)
                            .isGreaterThanOrEqualTo(m.length / 2)
                            .isLessThan(6L * m.length + 64 * 1024); // decoded node states cost 2x + 256 bytes
                }
                assertThat(budget.inUse()).isZero();
                // Truncated anywhere: fails, and gives everything back.
                for (int cut : new int[] {1, 5, wire.length / 3, wire.length / 2, wire.length - 1}) {
                    byte[] part = Arrays.copyOf(wire, cut);
                    try (InputBudget.Reservation r = budget.reserve(0)) {
                        StreamCodec.read(new StallingStream(part), o, USER_MAX, 20 << 20, r);
                    } catch (IOException | DecodeException | StreamRejectedException expected) {
                        // refused or cut: either way nothing stays reserved
                    }
                    assertThat(budget.inUse()).as("cut at %d of %d", cut, wire.length).isZero();
                }
            }
        }
        assertThat(budget.peak()).isLessThan(64 << 20);
    }

    @Test
    void aTightBudgetRefusesPushPullsPartWayAndStillReleases() throws Exception {
        byte[] m = StreamCodec.encodePushPull(pushPull(2000, 0));
        for (WireOptions o : List.of(WireOptions.plain(), LZW, ENC, ENC_LZW)) {
            InputBudget budget = InputBudget.ofBytes(m.length / 2);
            byte[] wire = StreamCodec.frame(m, o, null);
            try (InputBudget.Reservation r = budget.reserve(0)) {
                assertThatThrownBy(() -> StreamCodec.read(new ByteArrayInputStream(wire), o, USER_MAX, 20 << 20, r))
                        .isInstanceOf(InputRefusedException.class);
            }
            assertThat(budget.inUse()).isZero();
            assertThat(budget.refusals()).isPositive();
        }
    }
}
