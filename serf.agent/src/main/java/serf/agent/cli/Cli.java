package serf.agent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import serf.agent.internal.GoText;

/**
 * The {@code serf} command dispatcher, behaving as the Go binary's {@code main} with mitchellh/cli:
 * {@code -v}/{@code --version} anywhere runs {@code version}; {@code -h}, {@code -help} or
 * {@code --help} anywhere before {@code --} prints help on stderr (exit 0); no or an unknown
 * subcommand prints the command list on stderr (exit 127); flags before the subcommand are refused
 * (exit 1).
 */
public final class Cli {
    private Cli() {
    }

    /** The client commands (everything but {@code agent}). */
    public static Map<String, Command> clientCommands() {
        Map<String, Command> m = new TreeMap<>();
        m.put("event", new EventCommand());
        m.put("force-leave", new ForceLeaveCommand());
        m.put("info", new InfoCommand());
        m.put("join", new JoinCommand());
        m.put("keygen", new KeygenCommand());
        m.put("keys", new KeysCommand());
        m.put("leave", new LeaveCommand());
        m.put("members", new MembersCommand());
        m.put("monitor", new MonitorCommand());
        m.put("query", new QueryCommand());
        m.put("reachability", new ReachabilityCommand());
        m.put("rtt", new RttCommand());
        m.put("tags", new TagsCommand());
        m.put("version", new VersionCommand());
        return m;
    }

    /** Runs {@code serf <args>}; returns the exit code. */
    public static int run(List<String> argv, Map<String, Command> commands, CliContext ctx) {
        List<String> args = new ArrayList<>(argv);
        // main.go: "-v" or "--version" anywhere means "version".
        if (args.contains("-v") || args.contains("--version")) {
            args.add(0, "version");
        }
        boolean help = false;
        String subcommand = "";
        List<String> subArgs = List.of();
        List<String> topFlags = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("-h") || arg.equals("-help") || arg.equals("--help")) {
                help = true;
                continue;
            }
            if (subcommand.isEmpty()) {
                if (arg.equals("-v") || arg.equals("-version") || arg.equals("--version")) {
                    continue; // the CLI has no version string of its own, so this alone does nothing
                }
                if (!arg.isEmpty() && arg.charAt(0) == '-') {
                    topFlags.add(arg);
                }
            }
            if (subcommand.isEmpty() && !arg.isEmpty() && arg.charAt(0) != '-') {
                subcommand = arg;
                subArgs = List.copyOf(args.subList(i + 1, args.size()));
            }
        }
        Ui err = ctx.errUi();
        if (help && subcommand.isEmpty()) {
            err.output(usage(commands));
            return 0;
        }
        Command command = commands.get(subcommand);
        if (command == null) {
            err.output(usage(commands));
            return 127;
        }
        if (help) {
            err.output(command.help());
            return 0;
        }
        if (!topFlags.isEmpty()) {
            err.output("Invalid flags before the subcommand. If these flags are for\n"
                    + "the subcommand, please put them after the subcommand.\n");
            err.output(command.help());
            return 1;
        }
        return command.run(subArgs, ctx);
    }

    /** mitchellh/cli's BasicHelpFunc("serf"): commands sorted, names padded to the longest. */
    static String usage(Map<String, Command> commands) {
        TreeMap<String, Command> sorted = new TreeMap<>(GoText.BYTE_ORDER);
        sorted.putAll(commands);
        int width = sorted.keySet().stream().mapToInt(String::length).max().orElse(0);
        StringBuilder sb = new StringBuilder("Usage: serf [--version] [--help] <command> [<args>]\n\n");
        sb.append("Available commands are:\n");
        sorted.forEach((name, c) -> sb.append("    ").append(name).append(" ".repeat(width - name.length()))
                .append("    ").append(c.synopsis()).append('\n'));
        return sb.toString();
    }
}
