package serf.agent.cli;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import serf.agent.internal.GoFlagSet;
import serf.agent.internal.GoFloat;
import serf.client.Member;
import serf.client.SerfClient;
import serf.client.QueryParams;
import serf.client.QueryResult;
import serf.client.Subscription;

/** {@code serf reachability [-verbose]}: pings every member with the internal {@code _serf_ping} query. */
final class ReachabilityCommand implements Command {
    static final String TOO_MANY_ACKS =
            "This could mean Serf is detecting false-failures due to a misconfiguration or network issue.";
    static final String TOO_FEW_ACKS =
            "This could mean Serf gossip packets are being lost due to a misconfiguration or network issue.";
    static final String DUPLICATE_RESPONSES =
            "Duplicate responses means there is a misconfiguration. Verify that node names are unique.";
    static final String TROUBLESHOOTING = String.join("\n",
            "",
            "Troubleshooting tips:",
            "* Ensure that the bind addr:port is accessible by all other nodes",
            "* If an advertise address is set, ensure it routes to the bind address",
            "* Check that no nodes are behind a NAT",
            "* If nodes are behind firewalls or iptables, check that Serf traffic is permitted (UDP and TCP)",
            "* Verify networking equipment is functional");

    public String synopsis() {
        return "Checks that every member can be reached";
    }

    public String help() {
        return HelpTexts.REACHABILITY;
    }

    public int run(List<String> argv, CliContext ctx) {
        Ui ui = ctx.ui();
        GoFlagSet flags = new GoFlagSet(() -> ui.output(help()), ctx.errUi()::output);
        GoFlagSet.BoolFlag verbose = flags.bool("verbose", false);
        RpcFlags rpc = new RpcFlags(flags, ctx);
        if (!flags.parseOrUsage(argv)) {
            return 1;
        }
        SerfClient client = rpc.connect(ui);
        if (client == null) {
            return 1;
        }
        try (client) {
            List<Member> members;
            try {
                members = client.members();
            } catch (IOException e) {
                ui.error("Error getting members: " + e.getMessage());
                return 1;
            }
            Set<String> live = new LinkedHashSet<>();
            for (Member m : members) {
                if (m.status().equals("alive")) {
                    live.add(m.name());
                }
            }
            ui.output("Total members: " + members.size() + ", live members: " + live.size());

            AtomicInteger numAcks = new AtomicInteger();
            AtomicBoolean dups = new AtomicBoolean();
            Set<String> acksFrom = new LinkedHashSet<>();
            AtomicLong startNanos = new AtomicLong();
            AtomicLong last = new AtomicLong();
            QueryParams ping = QueryParams.of("_serf_ping", null);
            // Acks wait until "Starting reachability test..." is printed, as Go's channel buffers them.
            CompletableFuture<Void> gate = new CompletableFuture<>();
            // Go's command stops at an ack from nobody (its channel's zero value), which a Go agent can
            // stream when two of its queries share a Lamport time: end there too.
            CompletableFuture<Void> fromNobody = new CompletableFuture<>();
            Subscription stream;
            try {
                stream = client.query(ping, r -> {
                    gate.join();
                    if (!(r instanceof QueryResult.Ack) || fromNobody.isDone()) {
                        return; // Go's command has no response channel: responses are dropped
                    }
                    String a = r.from();
                    if (a.isEmpty()) {
                        fromNobody.complete(null);
                        return;
                    }
                    if (verbose.value) {
                        ui.output("\tAck from '" + a + "'");
                    }
                    numAcks.incrementAndGet();
                    if (!acksFrom.add(a)) {
                        dups.set(true);
                        ui.output("Duplicate response from '" + a + "'");
                    }
                    last.set(System.nanoTime());
                });
            } catch (IOException e) {
                ui.error("Error sending query: " + e.getMessage());
                return 1;
            }
            try {
                ui.output("Starting reachability test...");
                startNanos.set(System.nanoTime());
                last.set(startNanos.get());
            } finally {
                gate.complete(null);
            }
            long start = startNanos.get();
            CompletableFuture.anyOf(stream.done(), fromNobody, ctx.interrupt()).join();
            if (!stream.done().isDone() && !fromNobody.isDone()) {
                ui.error("Test interrupted");
                return 1;
            }
            if (verbose.value) {
                double total = (System.nanoTime() - start) / 1e9;
                double toLast = (last.get() - start) / 1e9;
                ui.output("Query time: " + GoFloat.formatFixed(total, 2) + " sec, time to last response: "
                        + GoFloat.formatFixed(toLast, 2) + " sec");
            }
            int exit = 0;
            if (dups.get()) {
                ui.output(DUPLICATE_RESPONSES);
                exit = 1;
            }
            int n = live.size();
            int acks = numAcks.get();
            if (acks == n) {
                ui.output("Successfully contacted all live nodes");
            } else if (acks > n) {
                ui.output("Received more acks than live nodes! Acks from non-live nodes:");
                for (String m : acksFrom) {
                    if (!live.contains(m)) {
                        ui.output("\t" + m);
                    }
                }
                ui.output(TOO_MANY_ACKS);
                ui.output(TROUBLESHOOTING);
                return 1;
            } else {
                ui.output("Received less acks than live nodes! Missing acks from:");
                for (String m : live) {
                    if (!acksFrom.contains(m)) {
                        ui.output("\t" + m);
                    }
                }
                ui.output(TOO_FEW_ACKS);
                ui.output(TROUBLESHOOTING);
                return 1;
            }
            return exit;
        }
    }
}
