package serf.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import serf.agent.internal.GoFlagSet;
import serf.client.SerfClient;

/** {@code serf event [options] name [payload]}: dispatches a user event. */
final class EventCommand implements Command {
    public String synopsis() {
        return "Sends a user event to the cluster";
    }

    public String help() {
        return HelpTexts.EVENT;
    }

    public int run(List<String> argv, CliContext ctx) {
        Ui ui = ctx.ui();
        GoFlagSet flags = new GoFlagSet(() -> ui.output(help()), ctx.errUi()::output);
        GoFlagSet.BoolFlag coalesce = flags.bool("coalesce", true);
        RpcFlags rpc = new RpcFlags(flags, ctx);
        if (!flags.parseOrUsage(argv)) {
            return 1;
        }
        List<String> args = flags.args();
        if (args.isEmpty()) {
            ui.error("An event name must be specified.");
            ui.error("");
            ui.error(help());
            return 1;
        } else if (args.size() > 2) {
            ui.error("Too many command line arguments. Only a name and payload must be specified.");
            ui.error("");
            ui.error(help());
            return 1;
        }
        String event = args.get(0);
        byte[] payload = args.size() == 2 ? args.get(1).getBytes(StandardCharsets.UTF_8) : null;
        SerfClient client = rpc.connect(ui);
        if (client == null) {
            return 1;
        }
        try (client) {
            client.userEvent(event, payload, coalesce.value);
        } catch (IOException e) {
            ui.error("Error sending event: " + e.getMessage());
            return 1;
        }
        ui.output("Event '" + event + "' dispatched! Coalescing enabled: " + coalesce.value);
        return 0;
    }
}
