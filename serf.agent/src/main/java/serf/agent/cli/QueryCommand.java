package serf.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import serf.agent.internal.GoFlagSet;
import serf.agent.internal.GoText;
import serf.client.SerfClient;
import serf.client.QueryParams;
import serf.client.QueryResult;
import serf.client.Subscription;
import serf.wire.json.Json;

/** {@code serf query [options] name [payload]}: runs a query and prints acks and responses. */
final class QueryCommand implements Command {
    public String synopsis() {
        return "Sends a query to the cluster";
    }

    public String help() {
        return HelpTexts.QUERY;
    }

    /** Reacts to query results; called on the stream's delivery thread, then {@link #finished} on the caller's. */
    private interface Format {
        void started();

        void ack(String from);

        void response(String from, byte[] payload);

        void finished();
    }

    public int run(List<String> argv, CliContext ctx) {
        Ui ui = ctx.ui();
        GoFlagSet flags = new GoFlagSet(() -> ui.output(help()), ctx.errUi()::output);
        GoFlagSet.ListFlag node = flags.list("node");
        GoFlagSet.ListFlag tag = flags.list("tag");
        GoFlagSet.DurationFlag timeout = flags.duration("timeout", 0);
        GoFlagSet.BoolFlag noAck = flags.bool("no-ack", false);
        GoFlagSet.StringFlag format = flags.string("format", "text");
        GoFlagSet.IntFlag relayFactor = flags.integer("relay-factor", 0);
        RpcFlags rpc = new RpcFlags(flags, ctx);
        if (!flags.parseOrUsage(argv)) {
            return 1;
        }
        Map<String, String> filterTags;
        try {
            filterTags = GoFlagSet.unmarshalTags(tag.values);
        } catch (IllegalArgumentException e) {
            ui.error("Error: " + e.getMessage());
            return 1;
        }
        List<String> args = flags.args();
        if (args.isEmpty()) {
            ui.error("A query name must be specified.");
            ui.error("");
            ui.error(help());
            return 1;
        } else if (args.size() > 2) {
            ui.error("Too many command line arguments. Only a name and payload must be specified.");
            ui.error("");
            ui.error(help());
            return 1;
        }
        if (relayFactor.value > 255 || relayFactor.value < 0) {
            ui.error("Relay factor must be between 0 and 255");
            return 1;
        }
        String name = args.get(0);
        byte[] payload = args.size() == 2 ? args.get(1).getBytes(StandardCharsets.UTF_8) : null;

        SerfClient client = rpc.connect(ui);
        if (client == null) {
            return 1;
        }
        try (client) {
            Format handler = switch (format.value) {
                case "text" -> text(ui, name, noAck.value);
                case "json" -> json(ui);
                default -> null;
            };
            if (handler == null) {
                ui.error("Invalid format: " + format.value);
                return 1;
            }
            QueryParams query = new QueryParams(name, payload, node.values, filterTags, !noAck.value,
                    (int) relayFactor.value, Duration.ofNanos(timeout.nanos));
            // Records wait until "dispatched" is printed: Go buffers them in channels until its loop starts.
            CompletableFuture<Void> gate = new CompletableFuture<>();
            // Go's command stops at an ack or response from nobody (its channels' zero value), and a Go
            // agent can stream such records when two of its queries share a Lamport time: end there too.
            CompletableFuture<Void> fromNobody = new CompletableFuture<>();
            Subscription stream;
            try {
                stream = client.query(query, r -> {
                    gate.join();
                    if (fromNobody.isDone()) {
                        return;
                    }
                    if (r.from().isEmpty()) {
                        fromNobody.complete(null);
                        return;
                    }
                    switch (r) {
                        case QueryResult.Ack a -> handler.ack(a.from());
                        case QueryResult.Response resp -> handler.response(resp.from(), resp.payload());
                    }
                });
            } catch (IOException e) {
                ui.error("Error sending query: " + e.getMessage());
                return 1;
            }
            try {
                handler.started();
            } finally {
                gate.complete(null);
            }
            CompletableFuture<Object> first = CompletableFuture.anyOf(stream.done(), fromNobody, ctx.interrupt());
            first.join();
            if (!stream.done().isDone() && !fromNobody.isDone()) {
                return 1; // interrupted
            }
            handler.finished();
            return 0;
        }
    }

    private static Format text(Ui ui, String name, boolean noAck) {
        return new Format() {
            int acks;
            int responses;

            public void started() {
                ui.output("Query '" + name + "' dispatched");
            }

            public void ack(String from) {
                acks++;
                ui.info("Ack from '" + from + "'");
            }

            public void response(String from, byte[] payload) {
                responses++;
                byte[] p = payload == null ? new byte[0] : payload;
                if (p.length > 0 && p[p.length - 1] == '\n') {
                    p = Arrays.copyOf(p, p.length - 1);
                }
                byte[] prefix = ("Response from '" + from + "': ").getBytes(StandardCharsets.UTF_8);
                byte[] line = Arrays.copyOf(prefix, prefix.length + p.length);
                System.arraycopy(p, 0, line, prefix.length, p.length);
                ui.outputBytes(line);
            }

            public void finished() {
                if (!noAck) {
                    ui.output("Total Acks: " + acks);
                }
                ui.output("Total Responses: " + responses);
            }
        };
    }

    private static Format json(Ui ui) {
        return new Format() {
            List<Object> acks;
            final Map<String, Object> responses = new LinkedHashMap<>();

            public void started() {
            }

            public void ack(String from) {
                if (acks == null) {
                    acks = new ArrayList<>();
                }
                acks.add(from);
            }

            public void response(String from, byte[] payload) {
                // Go's string(payload): invalid UTF-8 reaches the JSON encoder, which replaces it byte by byte.
                responses.put(from, GoText.fromBytes(payload == null ? new byte[0] : payload));
            }

            public void finished() {
                Map<String, Object> root = new LinkedHashMap<>();
                root.put("Acks", acks);
                root.put("Responses", MembersCommand.sorted(responses));
                ui.output(GoText.trimSpace(Json.writePretty(root)));
            }
        };
    }
}
