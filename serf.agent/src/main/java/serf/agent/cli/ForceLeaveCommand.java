package serf.agent.cli;

import java.io.IOException;
import java.util.List;
import serf.agent.internal.GoFlagSet;
import serf.client.SerfClient;

/** {@code serf force-leave [-prune] name}. */
final class ForceLeaveCommand implements Command {
    public String synopsis() {
        return "Marks a failed member as having left";
    }

    public String help() {
        return HelpTexts.FORCE_LEAVE;
    }

    public int run(List<String> argv, CliContext ctx) {
        Ui ui = ctx.ui();
        GoFlagSet flags = new GoFlagSet(() -> ui.output(help()), ctx.errUi()::output);
        GoFlagSet.BoolFlag prune = flags.bool("prune", false);
        RpcFlags rpc = new RpcFlags(flags, ctx);
        if (!flags.parseOrUsage(argv)) {
            return 1;
        }
        List<String> nodes = flags.args();
        if (nodes.size() != 1) {
            ui.error("A node name must be specified to force leave.");
            ui.error("");
            ui.error(help());
            return 1;
        }
        SerfClient client = rpc.connect(ui);
        if (client == null) {
            return 1;
        }
        try (client) {
            if (prune.value) {
                client.forceLeavePrune(nodes.get(0));
            } else {
                client.forceLeave(nodes.get(0));
            }
        } catch (IOException e) {
            ui.error("Error force leaving: " + e.getMessage());
            return 1;
        }
        return 0;
    }
}
