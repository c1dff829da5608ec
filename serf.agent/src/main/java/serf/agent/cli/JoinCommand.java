package serf.agent.cli;

import java.io.IOException;
import java.util.List;
import serf.agent.internal.GoFlagSet;
import serf.client.SerfClient;

/** {@code serf join [-replay] address ...}. */
final class JoinCommand implements Command {
    public String synopsis() {
        return "Makes an agent join a cluster";
    }

    public String help() {
        return HelpTexts.JOIN;
    }

    public int run(List<String> argv, CliContext ctx) {
        Ui ui = ctx.ui();
        GoFlagSet flags = new GoFlagSet(() -> ui.output(help()), ctx.errUi()::output);
        GoFlagSet.BoolFlag replay = flags.bool("replay", false);
        RpcFlags rpc = new RpcFlags(flags, ctx);
        if (!flags.parseOrUsage(argv)) {
            return 1;
        }
        List<String> addrs = flags.args();
        if (addrs.isEmpty()) {
            ui.error("At least one address to join must be specified.");
            ui.error("");
            ui.error(help());
            return 1;
        }
        SerfClient client = rpc.connect(ui);
        if (client == null) {
            return 1;
        }
        int n;
        try (client) {
            n = client.join(addrs, replay.value);
        } catch (IOException e) {
            ui.error("Error joining the cluster: " + e.getMessage());
            return 1;
        }
        ui.output("Successfully joined cluster by contacting " + n + " nodes.");
        return 0;
    }
}
