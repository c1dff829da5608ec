package serf.agent.cli;

import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What a CLI run talks to: stdout (the Go CLI's Ui writer), stderr (flag errors and top-level
 * help), the environment ({@code SERF_RPC_ADDR}, {@code SERF_RPC_AUTH}) and the interrupt signal
 * that long-running commands (monitor, query, reachability) watch, as Go's commands watch SIGINT.
 */
public record CliContext(OutputStream stdout, OutputStream stderr, Function<String, String> env,
                         CompletableFuture<Void> interrupt) {

    public CliContext {
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(interrupt, "interrupt");
    }

    /** The process's own streams and environment, with a fresh interrupt signal. */
    public static CliContext system() {
        return new CliContext(System.out, System.err, System::getenv, new CompletableFuture<>());
    }

    /** An environment variable, "" when unset (as Go's {@code os.Getenv}). */
    public String getenv(String name) {
        String v = env.apply(name);
        return v == null ? "" : v;
    }

    public Ui ui() {
        return new Ui(stdout);
    }

    public Ui errUi() {
        return new Ui(stderr);
    }
}
