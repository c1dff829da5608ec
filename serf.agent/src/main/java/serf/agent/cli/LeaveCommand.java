package serf.agent.cli;

import java.io.IOException;
import java.util.List;
import serf.agent.internal.GoFlagSet;
import serf.client.SerfClient;

/** {@code serf leave}: graceful leave, after which the agent shuts down. */
final class LeaveCommand implements Command {
    public String synopsis() {
        return "Leaves the cluster and stops the agent";
    }

    public String help() {
        return HelpTexts.LEAVE;
    }

    public int run(List<String> argv, CliContext ctx) {
        Ui ui = ctx.ui();
        GoFlagSet flags = new GoFlagSet(() -> ui.output(help()), ctx.errUi()::output);
        RpcFlags rpc = new RpcFlags(flags, ctx);
        if (!flags.parseOrUsage(argv)) {
            return 1;
        }
        SerfClient client = rpc.connect(ui);
        if (client == null) {
            return 1;
        }
        try (client) {
            client.leave();
        } catch (IOException e) {
            ui.error("Error leaving: " + e.getMessage());
            return 1;
        }
        ui.output("Graceful leave complete");
        return 0;
    }
}
