package serf.agent.config;

import java.io.PrintStream;
import java.util.List;
import java.util.Objects;

/**
 * Why the agent refuses to start (or to reload), with what the Go agent prints. Exit status 1.
 *
 * <ul>
 *   <li>{@link Kind#USAGE}: a command-line parse failure. Go's {@code flag} package prints the
 *       message (absent for {@code --h}) on stderr, then the agent prints {@code "==> "} and its usage
 *       on stdout.</li>
 *   <li>{@link Kind#ERROR}: anything else; printed on stdout as {@code "==> " + message} (the Go
 *       agent's UI writes errors to stdout).</li>
 * </ul>
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    /** How the failure is shown. */
    public enum Kind { USAGE, ERROR }

    private final Kind kind;
    @SuppressWarnings("serial") // an immutable List.copyOf list
    private final List<String> linesBefore;

    public ConfigException(Kind kind, String message) {
        this(kind, message, List.of());
    }

    /**
     * @param linesBefore progress lines the Go agent has printed before failing this way (each shown as
     *                    {@code "==> " + line}), e.g. {@code Starting Serf agent...}
     */
    public ConfigException(Kind kind, String message, List<String> linesBefore) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.linesBefore = List.copyOf(linesBefore);
        if (kind == Kind.ERROR) {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Lines printed (as {@code "==> " + line}) before the error itself. */
    public List<String> linesBefore() {
        return linesBefore;
    }

    public Kind kind() {
        return kind;
    }

    /** The process exit status the Go agent uses for this failure. */
    public int exitCode() {
        return 1;
    }

    /** Writes exactly what the Go agent writes for this failure. */
    public void print(PrintStream stdout, PrintStream stderr) {
        if (kind == Kind.USAGE) {
            if (getMessage() != null) {
                stderr.println(getMessage());
                stderr.flush();
            }
            stdout.println("==> " + AgentUsage.text());
        } else {
            for (String line : linesBefore) {
                stdout.println("==> " + line);
            }
            stdout.println("==> " + getMessage());
        }
        stdout.flush();
    }
}
