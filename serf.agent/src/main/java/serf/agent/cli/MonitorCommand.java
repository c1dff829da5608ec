package serf.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import serf.agent.internal.GoFlagSet;
import serf.agent.internal.GoSyntax;
import serf.client.internal.RpcChannel;
import serf.client.internal.RpcStream;
import serf.wire.MsgValue;

/**
 * {@code serf monitor [-log-level=LEVEL]}: an event stream ({@code *}) and a log monitor on one
 * connection, printed until interrupted (exit 0) or until the agent goes away (exit 1).
 */
final class MonitorCommand implements Command {
    static final String REMOTE_ENDED = "Remote side ended the monitor! This usually means that the\n"
            + "remote side has exited or crashed.";

    public String synopsis() {
        return "Follows the log of an agent";
    }

    public String help() {
        return HelpTexts.MONITOR;
    }

    public int run(List<String> argv, CliContext ctx) {
        Ui ui = ctx.ui();
        GoFlagSet flags = new GoFlagSet(() -> ui.output(help()), ctx.errUi()::output);
        GoFlagSet.StringFlag logLevel = flags.string("log-level", "INFO");
        RpcFlags rpc = new RpcFlags(flags, ctx);
        if (!flags.parseOrUsage(argv)) {
            return 1;
        }
        RpcChannel client = rpc.connectChannel(ui);
        if (client == null) {
            return 1;
        }
        try (client) {
            // Go prints from one loop: a record at a time, and nothing after the loop ends (when
            // either stream closes, or on an empty log line or nil record, which look the same to it).
            ReentrantLock lock = new ReentrantLock();
            boolean[] finished = {false};
            CompletableFuture<Void> sawEnd = new CompletableFuture<>();
            RpcStream events;
            try {
                events = client.streamRaw("*", rec -> {
                    lock.lock();
                    try {
                        if (finished[0]) {
                            return;
                        }
                        if (rec instanceof MsgValue.Nil) {
                            sawEnd.complete(null);
                            return;
                        }
                        ui.info("Event Info:");
                        if (rec instanceof MsgValue.Map m) {
                            for (MsgValue.Entry e : m.entries()) {
                                String key = e.key() instanceof MsgValue.Str s
                                        ? new String(s.bytes(), StandardCharsets.UTF_8) : GoSyntax.nested(e.key());
                                ui.info("\t" + key + ": " + GoSyntax.topLevel(e.value()));
                            }
                        }
                    } finally {
                        lock.unlock();
                    }
                });
            } catch (IOException e) {
                ui.error("Error starting stream: " + e.getMessage());
                return 1;
            }
            RpcStream logs;
            try {
                logs = client.monitor(logLevel.value, line -> {
                    lock.lock();
                    try {
                        if (finished[0]) {
                            return;
                        }
                        if (line.isEmpty()) {
                            sawEnd.complete(null);
                        } else {
                            ui.info(line);
                        }
                    } finally {
                        lock.unlock();
                    }
                });
            } catch (IOException e) {
                ui.error("Error starting monitor: " + e.getMessage());
                events.close();
                return 1;
            }
            boolean[] quitting = {false};
            CompletableFuture<Void> printed = CompletableFuture.anyOf(events.done(), logs.done(), sawEnd).thenRun(() -> {
                lock.lock();
                try {
                    finished[0] = true;
                    if (!quitting[0]) {
                        ui.info("");
                        ui.output(REMOTE_ENDED);
                    }
                } finally {
                    lock.unlock();
                }
            });
            CompletableFuture.anyOf(printed, ctx.interrupt()).join();
            lock.lock();
            try {
                if (finished[0]) {
                    logs.close();
                    events.close();
                    return 1;
                }
                quitting[0] = true;
                finished[0] = true;
            } finally {
                lock.unlock();
            }
            // As Go's deferred calls: stop the monitor, then the event stream, then close.
            logs.close();
            events.close();
            return 0;
        }
    }
}
