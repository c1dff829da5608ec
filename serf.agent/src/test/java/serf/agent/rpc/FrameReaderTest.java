package serf.agent.rpc;

import serf.client.Coordinate;
import serf.client.Member;
import serf.client.internal.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import serf.agent.testsupport.AgentVectors;
import serf.agent.testsupport.AgentVectors.Vector;
import serf.wire.DecodeException;
import serf.wire.MsgpackWriter;

class FrameReaderTest {

    /** Hands out at most {@code max} bytes per read, at random. */
    private static InputStream trickle(byte[] data, Random rnd, int max) {
        return new InputStream() {
            int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, 1 + rnd.nextInt(max)), data.length - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    private static List<byte[]> readAll(FrameReader r) throws IOException {
        List<byte[]> out = new ArrayList<>();
        byte[] o;
        while ((o = r.next()) != null) {
            out.add(o);
        }
        return out;
    }

    @Test
    void splitsEveryCapturedStreamIntoItsObjectsWhateverTheReadSizes() throws IOException {
        Random rnd = new Random(7);
        for (Vector v : AgentVectors.all()) {
            for (int max : new int[] {1, 3, 17, 100_000}) {
                for (boolean s2c : new boolean[] {true, false}) {
                    byte[] all = s2c ? v.s2cAll() : v.c2sAll();
                    List<AgentVectors.Obj> expected = s2c ? v.s2c() : v.c2s();
                    FrameReader r = new FrameReader(trickle(all, rnd, max));
                    List<byte[]> got = readAll(r);
                    assertThat(got).hasSameSizeAs(expected);
                    for (int i = 0; i < got.size(); i++) {
                        assertThat(got.get(i)).isEqualTo(expected.get(i).bytes());
                    }
                    assertThat(r.offset()).isEqualTo(all.length);
                }
            }
        }
    }

    @Test
    void endOfStreamInsideAnObjectIsAnEofException() throws IOException {
        byte[] header = HexFormat.of().parseHex("82a54572726f72a0a353657101");
        FrameReader r = new FrameReader(new ByteArrayInputStream(concat(header, new byte[] {(byte) 0x82, (byte) 0xa5, 'E'})));
        assertThat(r.next()).isEqualTo(header);
        assertThatThrownBy(r::next).isInstanceOf(EOFException.class);
        assertThat(new FrameReader(new ByteArrayInputStream(new byte[0])).next()).isNull();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void oversizedObjectsAreRefusedNotBuffered() {
        MsgpackWriter w = MsgpackWriter.rpc();
        w.writeBin(new byte[5000]);
        FrameReader r = new FrameReader(new ByteArrayInputStream(w.toByteArray()), 4096);
        assertThatThrownBy(r::next).isInstanceOf(DecodeException.class).hasMessageContaining("4096");
        // A claimed length alone is enough: the reader does not wait for 2 GiB to arrive.
        FrameReader claim = new FrameReader(new ByteArrayInputStream(HexFormat.of().parseHex("c67fffffff00")), 4096);
        assertThatThrownBy(claim::next).isInstanceOf(DecodeException.class);
        // A map claiming a million entries is refused once the buffer limit is reached.
        byte[] manyEntries = concat(HexFormat.of().parseHex("df000fffff"), new byte[5000]);
        FrameReader big = new FrameReader(trickle(manyEntries, new Random(1), 64), 4096);
        assertThatThrownBy(big::next).isInstanceOf(DecodeException.class);
    }

    @Test
    void reservedBytesAreRefused() {
        FrameReader r = new FrameReader(new ByteArrayInputStream(new byte[] {(byte) 0xc1, 1, 2}));
        assertThatThrownBy(r::next).isInstanceOf(DecodeException.class);
    }
}
