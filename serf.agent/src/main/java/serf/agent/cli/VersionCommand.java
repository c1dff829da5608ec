package serf.agent.cli;

import java.util.List;

/**
 * {@code serf version}: the Go release whose behaviour this agent reproduces, this project's own
 * version, and the Serf protocol range it speaks. The line count and the protocol line are Go's, and
 * the first line still starts with {@code Serf v0.9.4}, for tools that parse it to pick features.
 */
final class VersionCommand implements Command {
    /** The Go serf release this agent is compatible with. */
    static final String GO_RELEASE = "0.9.4";
    /** The version line. */
    static final String VERSION = "Serf v" + GO_RELEASE + " (serf-jvm " + projectVersion() + ")";
    /** Serf's ProtocolVersionMax and ProtocolVersionMin. */
    static final int PROTOCOL_MAX = 5;
    static final int PROTOCOL_MIN = 2;

    /**
     * This project's version: the module version the build records in module-info (Maven's
     * project version), so there is one version everywhere; "unknown" when run from plain classes.
     */
    static String projectVersion() {
        return VersionCommand.class.getModule().getDescriptor() == null ? "unknown"
                : VersionCommand.class.getModule().getDescriptor().rawVersion().orElse("unknown");
    }

    public String synopsis() {
        return "Shows the version";
    }

    public String help() {
        return "";
    }

    public int run(List<String> argv, CliContext ctx) {
        Ui ui = ctx.ui();
        ui.output(VERSION);
        ui.output("Agent Protocol: " + PROTOCOL_MAX + " (Understands back to: " + PROTOCOL_MIN + ")");
        return 0;
    }
}
