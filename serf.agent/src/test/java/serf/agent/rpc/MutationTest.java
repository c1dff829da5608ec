package serf.agent.rpc;

import serf.client.Coordinate;
import serf.client.Member;
import serf.client.internal.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import serf.agent.testsupport.AgentVectors;
import serf.agent.testsupport.AgentVectors.Vector;
import serf.agent.testsupport.Conversation;
import serf.agent.testsupport.Conversation.Part;
import serf.wire.DecodeException;
import serf.wire.DecodeLimits;
import serf.wire.MsgpackReader;

/** Seeded mutations of every captured object: the decoders fail only with DecodeException. */
class MutationTest {
    private static final int OBJECTS = 24_000;
    private static final int STREAMS = 2_000;
    private static final int[] INTERESTING = {0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3,
        0xc4, 0xc5, 0xc6, 0xc7, 0xca, 0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd3, 0xd4, 0xd9, 0xda, 0xdb, 0xdc, 0xdd,
        0xde, 0xdf, 0xe0, 0xff};

    static byte[] mutate(byte[] in, Random rnd) {
        byte[] b = in.clone();
        int rounds = 1 + rnd.nextInt(3);
        for (int k = 0; k < rounds && b.length > 0; k++) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[at] = (byte) INTERESTING[rnd.nextInt(INTERESTING.length)];
                case 2 -> b = java.util.Arrays.copyOf(b, at); // truncate
                case 3 -> { // insert random bytes
                    byte[] ins = new byte[1 + rnd.nextInt(4)];
                    rnd.nextBytes(ins);
                    byte[] out = new byte[b.length + ins.length];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(ins, 0, out, at, ins.length);
                    System.arraycopy(b, at, out, at + ins.length, b.length - at);
                    b = out;
                }
                case 4 -> { // delete a run
                    int n = Math.min(b.length - at, 1 + rnd.nextInt(4));
                    byte[] out = new byte[b.length - n];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + n, out, at, b.length - at - n);
                    b = out;
                }
                case 5 -> b[at] = (byte) rnd.nextInt(256);
                default -> { // a huge length after a container/string lead byte
                    if (at + 5 <= b.length) {
                        b[at] = (byte) (rnd.nextBoolean() ? 0xdf : 0xdb);
                        b[at + 1] = (byte) 0x7f;
                        b[at + 2] = (byte) 0xff;
                    }
                }
            }
        }
        return b;
    }

    @Test
    void mutatedObjectsOnlyEverRaiseDecodeException() {
        List<Part> parts = new ArrayList<>();
        for (Vector v : AgentVectors.all()) {
            parts.addAll(Conversation.all(v));
        }
        List<Function<MsgpackReader, Object>> all = Codecs.allDecoders();
        Random rnd = new Random(0x5e7f_a6e7L);
        DecodeLimits limits = new DecodeLimits(32, 1 << 20, 1 << 20);
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < OBJECTS; i++) {
            Part p = parts.get(rnd.nextInt(parts.size()));
            byte[] input = mutate(p.obj().bytes(), rnd);
            List<Function<MsgpackReader, Object>> decoders = List.of(Codecs.decoder(p), all.get(rnd.nextInt(all.size())));
            for (Function<MsgpackReader, Object> d : decoders) {
                try {
                    Object value = d.apply(new MsgpackReader(input, limits));
                    Codecs.encode(value); // whatever decodes can be written again
                    decoded++;
                } catch (DecodeException e) {
                    refused++;
                } catch (RuntimeException e) {
                    fail("%s escaped for %s input %s", e, p.kind(), HexFormat.of().formatHex(input), e);
                }
            }
        }
        assertThat(decoded).isPositive();
        assertThat(refused).isPositive();
        assertThat(decoded + refused).isEqualTo(2 * OBJECTS);
    }

    @Test
    void mutatedStreamsThroughTheFrameReaderOnlyRaiseDecodeOrEofException() throws IOException {
        List<Vector> vectors = AgentVectors.all();
        Random rnd = new Random(42);
        int frames = 0;
        for (int i = 0; i < STREAMS; i++) {
            Vector v = vectors.get(rnd.nextInt(vectors.size()));
            byte[] input = mutate(rnd.nextBoolean() ? v.s2cAll() : v.c2sAll(), rnd);
            FrameReader reader = new FrameReader(new ByteArrayInputStream(input), 4096);
            try {
                byte[] obj;
                while ((obj = reader.next()) != null) {
                    frames++;
                    // a frame is one complete value: skipping it consumes it exactly
                    MsgpackReader r = new MsgpackReader(obj, reader.limits());
                    r.skip();
                    r.expectEnd();
                }
            } catch (DecodeException | EOFException e) {
                // refused: fine
            } catch (RuntimeException e) {
                fail("%s escaped for stream %s", e, HexFormat.of().formatHex(input), e);
            }
        }
        assertThat(frames).isGreaterThan(STREAMS);
    }
}
