package serf.agent.cli;

import java.util.List;

/** {@code serf version}: this implementation's version and the Serf protocol range it speaks. */
final class VersionCommand implements Command {
    /** The version line; the Go binary prints its own build's version here. */
    static final String VERSION = "Serf v0.9.4-jvm";
    /** Serf's ProtocolVersionMax and ProtocolVersionMin. */
    static final int PROTOCOL_MAX = 5;
    static final int PROTOCOL_MIN = 2;

    public String synopsis() {
        return "Prints the Serf version";
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
