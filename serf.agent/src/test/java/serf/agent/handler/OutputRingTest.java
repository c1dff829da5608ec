package serf.agent.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutputRingTest {

    @Test
    void keepsTheLastBytesOfAnyWriteSequence() {
        Random r = new Random(3);
        for (int round = 0; round < 2_000; round++) {
            int cap = 1 + r.nextInt(64);
            OutputRing ring = new OutputRing(cap);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            int writes = r.nextInt(20);
            for (int w = 0; w < writes; w++) {
                byte[] chunk = new byte[r.nextInt(3 * cap)];
                r.nextBytes(chunk);
                int off = chunk.length == 0 ? 0 : r.nextInt(chunk.length);
                int len = chunk.length - off == 0 ? 0 : r.nextInt(chunk.length - off + 1);
                ring.write(chunk, off, len);
                all.write(chunk, off, len);
            }
            byte[] everything = all.toByteArray();
            byte[] expected = Arrays.copyOfRange(everything, Math.max(0, everything.length - cap), everything.length);
            assertThat(ring.bytes()).as("round %d", round).isEqualTo(expected);
            assertThat(ring.totalWritten()).isEqualTo(everything.length);
        }
    }
}
