package serf.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The thread count behind runtime.num_goroutines, read from /proc/self/stat through one open file. */
class ProcThreadCountTest {

    private static long parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.US_ASCII);
        return ProcThreadCount.parse(b, b.length);
    }

    @Test
    void takesFieldTwentyCountingFromTheLastParenthesis() {
        String rest = " S 1 2 3 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 37 0 1234 5678 900 18446744073709551615\n";
        assertThat(parse("4242 (java)" + rest)).isEqualTo(37);
        // A command name with blanks and parentheses of its own.
        assertThat(parse("4242 (a) b (c d)" + rest)).isEqualTo(37);
        // The line ends right after field 20.
        assertThat(parse("1 (x) S 1 2 3 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 9")).isEqualTo(9);
    }

    @Test
    void refusesWhatIsNotAStatLine() {
        assertThat(parse("no parenthesis here")).isEqualTo(-1);
        assertThat(parse("1 (x) S 1 2")).isEqualTo(-1);
        assertThat(parse("1 (x) S 1 2 3 0 -1 4194560 100 0 0 0 5 6 0 0 20 0 many 0")).isEqualTo(-1);
    }

    @Test
    void readsTheLiveCountAgainOnEveryCall() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "Linux only");
        CountDownLatch release = new CountDownLatch(1);
        try (ProcThreadCount count = ProcThreadCount.open()) {
            long before = agreedCount(count);
            Thread[] extra = new Thread[3];
            for (int i = 0; i < extra.length; i++) {
                extra[i] = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(agreedCount(count)).isGreaterThanOrEqualTo(before + extra.length);
            release.countDown();
            for (Thread t : extra) {
                t.join();
            }
        } finally {
            release.countDown();
        }
    }

    /** The count once it agrees with /proc/self/status read just after it (other threads of the JVM come and go). */
    private static long agreedCount(ProcThreadCount count) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            long read = count.read();
            long status = statusThreads();
            if (read == status || System.nanoTime() > deadline) {
                assertThat(read).isEqualTo(status);
                return read;
            }
        }
    }

    @Test
    void fallsBackToTheJdkEstimateWithoutTheFile(@TempDir Path dir) throws Exception {
        try (ProcThreadCount missing = ProcThreadCount.open(dir.resolve("absent").toString())) {
            assertThat(missing.read()).isPositive();
        }
        Path garbage = Files.writeString(dir.resolve("stat"), "not a stat line");
        try (ProcThreadCount bad = ProcThreadCount.open(garbage.toString())) {
            assertThat(bad.read()).isPositive();
            assertThat(bad.read()).isPositive(); // closed after the first failure, still answers
        }
    }

    private static long statusThreads() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Threads:")) {
                return Long.parseLong(line.substring(8).strip());
            }
        }
        throw new AssertionError("no Threads: line");
    }
}
