package serf.agent.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import serf.agent.internal.GoFlagSet;
import serf.client.SerfClient;

/** {@code serf tags -set k=v -delete k}: changes the agent's tags. */
final class TagsCommand implements Command {
    public String synopsis() {
        return "Changes the tags of a running agent";
    }

    public String help() {
        return HelpTexts.TAGS;
    }

    public int run(List<String> argv, CliContext ctx) {
        Ui ui = ctx.ui();
        GoFlagSet flags = new GoFlagSet(() -> ui.output(help()), ctx.errUi()::output);
        GoFlagSet.ListFlag set = flags.list("set");
        GoFlagSet.ListFlag delete = flags.list("delete");
        RpcFlags rpc = new RpcFlags(flags, ctx);
        if (!flags.parseOrUsage(argv)) {
            return 1;
        }
        if (set.values == null && delete.values == null) {
            ui.output(help());
            return 1;
        }
        SerfClient client = rpc.connect(ui);
        if (client == null) {
            return 1;
        }
        try (client) {
            Map<String, String> tags;
            try {
                tags = GoFlagSet.unmarshalTags(set.values);
            } catch (IllegalArgumentException e) {
                ui.error("Error: " + e.getMessage());
                return 1;
            }
            try {
                client.updateTags(tags, delete.values);
            } catch (IOException e) {
                ui.error("Error setting tags: " + e.getMessage());
                return 1;
            }
        }
        ui.output("Successfully updated agent tags");
        return 0;
    }
}
