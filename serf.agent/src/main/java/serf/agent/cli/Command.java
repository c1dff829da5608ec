package serf.agent.cli;

import java.util.List;

/** A {@code serf} subcommand, as a mitchellh/cli {@code Command}. */
public interface Command {
    /** One line for {@code serf -h}. */
    String synopsis();

    /** The full help text (without a trailing newline). */
    String help();

    /** Runs with the arguments after the subcommand name; returns the exit code. */
    int run(List<String> args, CliContext ctx);
}
