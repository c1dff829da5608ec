package examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedding example runs as its javadoc says: three nodes find each other, the Go-style query
 * is answered by all, the early-return query by both db nodes well before its 30 s timeout, and
 * every node is closed at the end.
 */
class EmbeddedSerfTest {

    @Test
    @Timeout(120)
    void theExampleRunsAndItsEarlyReturnQueryDoesNotWaitItsTimeout() throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        long start = System.nanoTime();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            EmbeddedSerf.main(new String[0]);
        } finally {
            System.setOut(out);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        out.print(text);
        assertThat(text).contains("query answer from embedded-0", "query answer from embedded-1", "query answer from embedded-2")
                .contains("2 of 2 db nodes ([embedded-1, embedded-2]").contains("member-leave [embedded-2");
        assertThat((System.nanoTime() - start) / 1_000_000_000L).as("seconds: the early query did not wait 30 s").isLessThan(30);
    }
}
