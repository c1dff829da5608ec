package serf.agent.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import serf.agent.internal.GoFlagSet;
import serf.agent.internal.GoFloat;
import serf.agent.internal.GoText;
import serf.client.Coordinate;
import serf.client.SerfClient;

/** {@code serf rtt node1 [node2]}: estimated round trip time from network coordinates. */
final class RttCommand implements Command {
    public String synopsis() {
        return "Estimates the round trip time between two nodes";
    }

    public String help() {
        return HelpTexts.RTT;
    }

    public int run(List<String> argv, CliContext ctx) {
        Ui ui = ctx.ui();
        GoFlagSet flags = new GoFlagSet(() -> ui.output(help()), ctx.errUi()::output);
        RpcFlags rpc = new RpcFlags(flags, ctx);
        if (!flags.parseOrUsage(argv)) {
            return 1;
        }
        // Go connects before it looks at the arguments.
        SerfClient client = rpc.connect(ui);
        if (client == null) {
            return 1;
        }
        try (client) {
            List<String> nodes = new ArrayList<>(flags.args());
            if (nodes.size() == 1) {
                Map<String, Map<String, String>> stats;
                try {
                    stats = client.stats();
                } catch (IOException e) {
                    ui.error("Error querying agent: " + e.getMessage());
                    return 1;
                }
                Map<String, String> agent = stats.get("agent");
                String self = agent == null ? null : agent.get("name");
                nodes.add(self == null ? "" : self);
            } else if (nodes.size() != 2) {
                ui.error("One or two node names must be specified");
                ui.error("");
                ui.error(help());
                return 1;
            }
            Coordinate[] coords = new Coordinate[2];
            for (int i = 0; i < 2; i++) {
                Optional<Coordinate> c;
                try {
                    c = client.getCoordinate(nodes.get(i));
                } catch (IOException e) {
                    ui.error("Error getting coordinates: " + e.getMessage());
                    return 1;
                }
                if (c.isEmpty()) {
                    ui.error("Could not find a coordinate for node " + GoText.quote(nodes.get(i)));
                    return 1;
                }
                coords[i] = c.get();
            }
            double ms;
            try {
                ms = coords[0].distanceSeconds(coords[1]) * 1000.0;
            } catch (IllegalArgumentException e) {
                ui.error("Error computing rtt: " + e.getMessage());
                return 1;
            }
            ui.output("Estimated " + nodes.get(0) + " <-> " + nodes.get(1) + " rtt: "
                    + GoFloat.formatFixed(ms, 3) + " ms");
            return 0;
        }
    }
}
