package serf.agent.handler;

import java.time.Duration;
import java.util.Objects;

/**
 * How one handler script run ended.
 *
 * @param exitCode     the shell's exit status (128 + N when a signal ended it, as the JDK reports)
 * @param output       stdout and stderr as written, interleaved, at most the invoker's output limit
 *                     (the last bytes when more was written)
 * @param totalWritten how many bytes the script wrote in all
 * @param timedOut     whether the invoker's timeout ended the script (never, with Go's default of no timeout)
 * @param elapsed      from start to exit
 */
public record ScriptResult(int exitCode, byte[] output, long totalWritten, boolean timedOut, Duration elapsed) {
    public ScriptResult {
        output = output.clone();
        Objects.requireNonNull(elapsed, "elapsed");
    }

    @Override
    public byte[] output() {
        return output.clone();
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** Go's {@code exec.ExitError} text for a failure ({@code exit status 1}), or empty on success. */
    public String errorText() {
        if (timedOut) {
            return "timed out after " + serf.agent.internal.GoDuration.format(Duration.ofMillis(elapsed.toMillis()));
        }
        return exitCode == 0 ? "" : "exit status " + exitCode;
    }
}
