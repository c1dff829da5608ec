package serf.agent.cli;

import java.io.IOException;
import serf.agent.internal.GoFlagSet;
import serf.client.ClientConfig;
import serf.client.SerfClient;
import serf.client.internal.RpcChannel;

/**
 * The {@code -rpc-addr} and {@code -rpc-auth} flags every client command has (defaults from
 * {@code SERF_RPC_ADDR}, else {@code 127.0.0.1:7373}, and {@code SERF_RPC_AUTH}), and connecting
 * with them.
 */
final class RpcFlags {
    static final String DEFAULT_ADDR = "127.0.0.1:7373";

    private final GoFlagSet.StringFlag addr;
    private final GoFlagSet.StringFlag auth;

    RpcFlags(GoFlagSet flags, CliContext ctx) {
        String def = ctx.getenv("SERF_RPC_ADDR");
        addr = flags.string("rpc-addr", def.isEmpty() ? DEFAULT_ADDR : def);
        auth = flags.string("rpc-auth", ctx.getenv("SERF_RPC_AUTH"));
    }

    /** Connects, handshakes and authenticates; on failure prints the reason and returns null. */
    SerfClient connect(Ui ui) {
        try {
            return SerfClient.connect(new ClientConfig(addr.value, auth.value, null));
        } catch (IOException e) {
            ui.error("Error connecting to Serf agent: " + e.getMessage());
            return null;
        }
    }

    /**
     * As {@link #connect}, for the one command that needs records in their wire form (monitor prints
     * events as Go prints its generic decoding of them).
     */
    RpcChannel connectChannel(Ui ui) {
        try {
            return RpcChannel.connect(addr.value, auth.value, SerfClient.DEFAULT_TIMEOUT);
        } catch (IOException e) {
            ui.error("Error connecting to Serf agent: " + e.getMessage());
            return null;
        }
    }
}
