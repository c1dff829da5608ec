package serf.agent.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import serf.agent.internal.GoFlagSet;
import serf.agent.internal.GoText;
import serf.client.SerfClient;
import serf.wire.json.Json;

/** {@code serf info [-format text|json]}: the agent's stats. */
final class InfoCommand implements Command {
    public String synopsis() {
        return "Shows the agent's state and statistics";
    }

    public String help() {
        return HelpTexts.INFO;
    }

    public int run(List<String> argv, CliContext ctx) {
        Ui ui = ctx.ui();
        GoFlagSet flags = new GoFlagSet(() -> ui.output(help()), ctx.errUi()::output);
        GoFlagSet.StringFlag format = flags.string("format", "text");
        RpcFlags rpc = new RpcFlags(flags, ctx);
        if (!flags.parseOrUsage(argv)) {
            return 1;
        }
        SerfClient client = rpc.connect(ui);
        if (client == null) {
            return 1;
        }
        Map<String, Map<String, String>> stats;
        try (client) {
            stats = client.stats();
        } catch (IOException e) {
            ui.error("Error querying agent: " + e.getMessage());
            return 1;
        }
        Map<String, Object> sorted = new TreeMap<>(GoText.BYTE_ORDER);
        stats.forEach((k, v) -> sorted.put(k, MembersCommand.sorted(v)));
        String out;
        switch (format.value) {
            case "text" -> out = text(sorted);
            case "json" -> out = Json.writePretty(sorted);
            default -> {
                ui.error("Encoding error: Invalid output format \"" + format.value + "\"");
                return 1;
            }
        }
        ui.output(GoText.trimSpace(out));
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static String text(Map<String, Object> sorted) {
        StringBuilder sb = new StringBuilder();
        sorted.forEach((key, sub) -> {
            sb.append(key).append(":\n");
            if (sub != null) {
                ((Map<String, String>) sub).forEach((k, v) -> sb.append('\t').append(k).append(" = ").append(v).append('\n'));
            }
        });
        return sb.toString();
    }
}
