package serf.agent.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import serf.agent.internal.GoFlagSet;
import serf.client.SerfClient;
import serf.client.KeyResponse;
import serf.client.KeyringException;

/** {@code serf keys -install|-use|-remove KEY | -list}: cluster-wide keyring operations. */
final class KeysCommand implements Command {
    public String synopsis() {
        return "Changes or lists the encryption keys of the cluster";
    }

    public String help() {
        return HelpTexts.KEYS;
    }

    /** One keyring RPC. */
    @FunctionalInterface
    private interface KeyCall {
        KeyResponse call(SerfClient c) throws IOException;
    }

    public int run(List<String> argv, CliContext ctx) {
        Ui base = ctx.ui();
        GoFlagSet flags = new GoFlagSet(() -> base.output(help()), ctx.errUi()::output);
        GoFlagSet.StringFlag install = flags.string("install", "");
        GoFlagSet.StringFlag use = flags.string("use", "");
        GoFlagSet.StringFlag remove = flags.string("remove", "");
        GoFlagSet.BoolFlag list = flags.bool("list", false);
        RpcFlags rpc = new RpcFlags(flags, ctx);
        if (!flags.parseOrUsage(argv)) {
            return 1;
        }
        Ui ui = base.prefixed("", "==> ", "");

        boolean found = list.value;
        for (String arg : List.of(install.value, use.value, remove.value)) {
            if (found && !arg.isEmpty()) {
                ui.error("Only one of -install, -use, -remove, or -list allowed");
                return 1;
            }
            found = found || !arg.isEmpty();
        }
        if (!found) {
            ui.error(help());
            return 1;
        }
        SerfClient client = rpc.connect(ui);
        if (client == null) {
            return 1;
        }
        try (client) {
            if (list.value) {
                ui.info("Asking all members for installed keys...");
                KeyResponse keys;
                try {
                    keys = client.listKeys();
                } catch (IOException e) {
                    printFailures(ui, e);
                    ui.error("");
                    ui.error("Failed to gather member keys: " + e.getMessage());
                    return 1;
                }
                ui.info("Keys gathered, listing cluster keys...");
                ui.output("");
                List<String> lines = new ArrayList<>();
                keys.keys().forEach((key, num) -> lines.add(key + " | [" + num + "/" + keys.numNodes() + "]"));
                ui.output(Columnize.simpleFormat(lines));
                return 0;
            }
            if (!install.value.isEmpty()) {
                return change(ui, client, "Installing key on all members...", c -> c.installKey(install.value),
                        "Error installing key: ", "Successfully installed key!");
            }
            if (!use.value.isEmpty()) {
                return change(ui, client, "Changing primary key on all members...", c -> c.useKey(use.value),
                        "Error changing primary key: ", "Successfully changed primary key!");
            }
            return change(ui, client, "Removing key on all members...", c -> c.removeKey(remove.value),
                    "Error removing key: ", "Successfully removed key!");
        }
    }

    private static int change(Ui ui, SerfClient client, String start, KeyCall call, String errorPrefix, String success) {
        ui.info(start);
        try {
            call.call(client);
        } catch (IOException e) {
            printFailures(ui, e);
            ui.error("");
            ui.error(errorPrefix + e.getMessage());
            return 1;
        }
        ui.info(success);
        return 0;
    }

    /** The per-node messages that came with a failed key operation, columnized. */
    private static void printFailures(Ui ui, IOException e) {
        if (!(e instanceof KeyringException keyring)) {
            return;
        }
        Map<String, String> failures = keyring.response().messages();
        if (failures.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        failures.forEach((node, message) -> lines.add("failed: | " + node + " | " + message));
        ui.error(Columnize.simpleFormat(lines));
    }
}
