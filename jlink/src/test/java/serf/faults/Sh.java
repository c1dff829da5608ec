package serf.faults;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short commands (ip, nft, the Go serf CLI) with a deadline; their output and exit code. */
final class Sh {
    private Sh() {
    }

    record Result(int exit, String out) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Runs {@code cmd} (stderr merged into the output), killing it after {@code timeoutSeconds}. */
    static Result run(int timeoutSeconds, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            Thread reader = Thread.ofVirtual().unstarted(() -> { });
            byte[][] out = new byte[1][];
            try (InputStream in = p.getInputStream()) {
                reader = Thread.ofVirtual().name("sh-reader").start(() -> {
                    try {
                        out[0] = in.readAllBytes();
                    } catch (IOException e) {
                        out[0] = new byte[0];
                    }
                });
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                    reader.join(1000);
                    return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd));
                }
                reader.join(5000);
            }
            return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-2, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-3, "interrupted");
        }
    }

    static Result run(String... cmd) {
        return run(30, List.of(cmd));
    }

    /** Runs {@code cmd} and fails with its output unless it exits 0. */
    static String check(String... cmd) {
        Result r = run(cmd);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", cmd) + " -> exit " + r.exit() + ": " + r.out().strip());
        }
        return r.out();
    }
}
