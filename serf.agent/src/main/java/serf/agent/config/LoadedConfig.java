package serf.agent.config;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of reading the agent's command line and config files.
 *
 * @param config        the merged, validated configuration
 * @param warnings      lines the Go agent prints while reading (each shown as {@code "==> " + line} on
 *                      stdout), in order: the {@code role} deprecation, a too low retry interval or
 *                      broadcast timeout, {@code rejoin} without a snapshot
 * @param configPaths   the {@code -config-file}/{@code -config-dir} paths, in command-line order
 * @param remainingArgs the arguments after the flags (the Go agent ignores them)
 */
public record LoadedConfig(AgentConfig config, List<String> warnings, List<String> configPaths,
                           List<String> remainingArgs) {
    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
        configPaths = List.copyOf(configPaths);
        remainingArgs = List.copyOf(remainingArgs);
    }

    /** Prints the warnings as the Go agent does: {@code "==> " + line} each, on its stdout. */
    public void printWarnings(java.io.PrintStream stdout) {
        for (String w : warnings) {
            stdout.println("==> " + w);
        }
        stdout.flush();
    }
}
