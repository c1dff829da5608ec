package serf.agent.cli;

import java.util.List;
import serf.crypto.Keys;

/** {@code serf keygen}: a random 32-byte key in standard base64. */
final class KeygenCommand implements Command {
    public String synopsis() {
        return "Prints a new encryption key";
    }

    public String help() {
        return HelpTexts.KEYGEN;
    }

    public int run(List<String> argv, CliContext ctx) {
        ctx.ui().output(Keys.encode(Keys.generate()));
        return 0;
    }
}
