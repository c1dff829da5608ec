package serf.agent;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import serf.agent.cli.Cli;
import serf.agent.cli.CliContext;
import serf.agent.cli.Command;

/** The {@code serf} executable: the agent and the client commands. */
public final class Main {
    private Main() {
    }

    /** Every subcommand of {@code serf}. */
    static Map<String, Command> commands() {
        Map<String, Command> commands = new TreeMap<>(Cli.clientCommands());
        commands.put("agent", new serf.agent.core.AgentCommand());
        return commands;
    }

    /** Runs {@code serf <args>} against the given streams and environment; returns the exit code. */
    public static int run(List<String> args, CliContext ctx) {
        return Cli.run(args, commands(), ctx);
    }

    public static void main(String[] args) {
        CliContext ctx = CliContext.system();
        CompletableFuture<Integer> result = new CompletableFuture<>();
        // Ctrl-C: long-running commands (monitor, query, reachability) end on the interrupt signal and
        // choose their exit code as Go's do; the hook waits for that and exits with it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (result.isDone()) {
                return;
            }
            ctx.interrupt().complete(null);
            int code;
            try {
                code = result.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                code = 1;
            }
            System.out.flush();
            Runtime.getRuntime().halt(code);
        }, "serf-interrupt"));
        int code;
        try {
            code = run(List.of(args), ctx);
        } catch (RuntimeException e) {
            System.err.println("Error executing CLI: " + e);
            code = 1;
        }
        result.complete(code);
        System.out.flush();
        System.exit(code);
    }
}
