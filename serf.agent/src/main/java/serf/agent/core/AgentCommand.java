package serf.agent.core;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import serf.agent.cli.CliContext;
import serf.agent.cli.Command;
import serf.agent.cli.HelpTexts;
import serf.agent.config.AgentConfig;
import serf.agent.config.AgentConfigLoader;
import serf.agent.config.AgentConfigValidator;
import serf.agent.config.ConfigException;
import serf.agent.config.LoadedConfig;
import serf.agent.handler.EventHandlerRunner;
import serf.agent.handler.ScriptInvoker;
import serf.agent.handler.EventScript;
import serf.api.SerfException;

/**
 * {@code serf agent}: loads the configuration like the Go agent, starts Serf and the RPC server,
 * prints the same start-up banner, and handles SIGINT/SIGTERM (graceful leave as configured) and
 * SIGHUP (reload of log level, handlers and tags).
 */
public final class AgentCommand implements Command {
    public AgentCommand() {
    }

    @Override
    public String synopsis() {
        return "Runs an agent (a member of a cluster)";
    }

    @Override
    public String help() {
        return HelpTexts.AGENT;
    }

    @Override
    public int run(List<String> args, CliContext ctx) {
        PrintStream out = new PrintStream(ctx.stdout(), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(ctx.stderr(), true, StandardCharsets.UTF_8);
        AgentConfigLoader loader = new AgentConfigLoader();
        LoadedConfig loaded;
        try {
            loaded = loader.load(args);
        } catch (ConfigException e) {
            e.print(out, err);
            return e.exitCode();
        }
        loaded.printWarnings(out);
        AgentConfig cfg = loaded.config();
        AgentConfigValidator.Startup startup;
        try {
            startup = AgentConfigValidator.validate(cfg);
        } catch (ConfigException e) {
            e.print(out, err);
            return e.exitCode();
        }
        startup.notices().forEach(n -> out.println("==> " + n));
        AgentLog log = new AgentLog(out, LogLevel.parse(startup.logLevel()).orElse(LogLevel.INFO));
        LogRouting.attach(log);
        serf.agent.syslog.SyslogSink syslog = null;
        if (cfg.enableSyslog()) {
            try {
                syslog = OperatorFeatures.openSyslog(cfg, log, ctx::getenv);
            } catch (IOException e) {
                out.println("==> Syslog setup failed: " + e.getMessage());
                return 1;
            }
        }

        // As Go: metrics before the agent (its sinks see the node from its first message on).
        serf.agent.metrics.AgentMetrics metrics = serf.agent.metrics.AgentMetrics.start(cfg.statsiteAddr(), cfg.statsdAddr(),
                System.getLogger("serf.agent.metrics"));
        Signals.installMetricsDump(() -> err.print(metrics.dump()));
        if (!cfg.metricsPrometheusAddr().isEmpty()) {
            try {
                metrics.startPrometheus(cfg.metricsPrometheusAddr());
            } catch (IOException | RuntimeException e) {
                out.println("==> Failed to start the Prometheus endpoint on " + cfg.metricsPrometheusAddr() + ": " + e.getMessage());
                metrics.close();
                if (syslog != null) {
                    syslog.close();
                }
                return 1;
            }
        }
        out.println("==> Starting Serf agent...");
        Agent agent;
        AgentHandle handle = new AgentHandle();
        // The event loop never waits for the scripts: a full handler queue drops (counted) at once.
        EventHandlerRunner handlers = new EventHandlerRunner(EventScript.parseAll(cfg.eventHandlers()),
                () -> handle.agent == null ? null : handle.agent.serf().localMember(), new ScriptInvoker(),
                EventHandlerRunner.DEFAULT_QUEUE, Duration.ZERO);
        try {
            agent = Agent.create(cfg, startup, log, handlers, metrics.registry());
            handle.agent = agent;
            agent.srvResolver(OperatorFeatures.srvResolver(ctx::getenv));
            if (syslog != null) {
                serf.agent.syslog.SyslogSink sink = syslog;
                agent.closeOnStop(sink);
                agent.addStats(() -> OperatorFeatures.syslogStats(sink));
            }
        } catch (IOException | RuntimeException e) {
            out.println("==> Failed to start the Serf agent: " + startFailure(e));
            handlers.close();
            metrics.close();
            if (syslog != null) {
                syslog.close();
            }
            return 1;
        }
        // As Go: mDNS before the RPC listener; an agent asked to discover does not run without it.
        if (!cfg.discover().isEmpty()) {
            try {
                serf.agent.discovery.MdnsDiscovery mdns = OperatorFeatures.startMdns(cfg, agent);
                agent.closeOnStop(mdns);
                agent.addStats(mdns::stats);
            } catch (IOException e) {
                out.println("==> Error starting mDNS listener: " + e.getMessage());
                agent.stop();
                return 1;
            }
        }
        // As Go: the listener first, then the line saying it started.
        try {
            agent.startRpc();
        } catch (IOException e) {
            out.println("==> Error starting RPC listener: " + rpcFailure(cfg, e));
            agent.stop();
            return 1;
        }
        out.println("==> Starting Serf agent RPC...");
        var adv = agent.serf().memberlist().advertiseAddress();
        out.println("==> Serf agent running!");
        out.println("                      Node name: '" + cfg.nodeName() + "'");
        out.println("                      Bind addr: '" + bindShown(cfg) + "'");
        if (!cfg.advertiseAddr().isEmpty()) {
            out.println("                 Advertise addr: '" + adv.getAddress().getHostAddress() + ":" + adv.getPort() + "'");
        }
        out.println("                       RPC addr: '" + cfg.rpcAddr() + "'");
        out.println("                      Encrypted: " + agent.serf().encryptionEnabled());
        out.println("                       Snapshot: " + !cfg.snapshotPath().isEmpty());
        out.println("                        Profile: " + (cfg.profile().isEmpty() ? "lan" : cfg.profile()));
        out.println("    Message Compression Enabled: " + cfg.enableCompression());
        if (!cfg.discover().isEmpty()) {
            out.println("                   mDNS cluster: " + cfg.discover());
        }
        if (!cfg.startJoin().isEmpty()) {
            try {
                agent.startJoin();
            } catch (SerfException e) {
                // Go prints the bare error through the agent's "==> " error prefix.
                out.println("==> " + e.getMessage());
                agent.stop();
                return 1;
            }
        }
        out.println();
        out.println("==> Log data will now stream in as it occurs:");
        out.println();
        log.openGate();
        agent.startRetryJoin();
        PeriodicCollection collection = PeriodicCollection.start(PeriodicCollection.PERIOD);
        agent.closeOnStop(collection);
        agent.addStats(collection::stats);

        AtomicInteger exit = new AtomicInteger(-1);
        SignalHandler signals = new SignalHandler(agent, cfg, args, loader, log, handlers, out, exit);
        Signals.install(signals);
        try {
            int code = agent.awaitStop();
            handlers.close();
            return exit.get() >= 0 ? exit.get() : code;
        } catch (InterruptedException e) {
            agent.stop();
            return 1;
        } finally {
            metrics.close();
        }
    }

    /** Go's text for a failed start: a taken gossip port reads as memberlist's chain of errors. */
    static String startFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException b) {
                return "Error creating Serf: Failed to create memberlist: Could not set up network transport: "
                        + "failed to obtain an address: " + b.getMessage();
            }
        }
        return e.getMessage();
    }

    /** Go's net.Listen error: {@code listen tcp 127.0.0.1:7373: bind: address already in use}. */
    static String rpcFailure(AgentConfig cfg, IOException e) {
        if (e instanceof java.net.BindException && e.getMessage() != null) {
            String why = e.getMessage().replaceAll(" \\(.*\\)$", "");
            why = why.isEmpty() ? why : Character.toLowerCase(why.charAt(0)) + why.substring(1);
            return "listen tcp " + serf.agent.config.AddrParts.parse(cfg.rpcAddr()).hostPort() + ": bind: " + why;
        }
        return e.getMessage();
    }

    private static String bindShown(AgentConfig cfg) {
        return serf.agent.config.AddrParts.parse(cfg.bindAddr().isEmpty() ? "0.0.0.0" : cfg.bindAddr()).hostPort();
    }

    private static final class AgentHandle {
        volatile Agent agent;
    }

    /** What the agent does on each signal (Go's handleSignals). */
    static final class SignalHandler {
        private final Agent agent;
        private final AgentConfig cfg;
        private final List<String> args;
        private final AgentConfigLoader loader;
        private final AgentLog log;
        private final EventHandlerRunner handlers;
        private final PrintStream out;
        private final AtomicInteger exit;
        private final CountDownLatch leaving = new CountDownLatch(1);
        private volatile boolean shuttingDown;

        SignalHandler(Agent agent, AgentConfig cfg, List<String> args, AgentConfigLoader loader, AgentLog log,
                      EventHandlerRunner handlers, PrintStream out, AtomicInteger exit) {
            this.agent = agent;
            this.cfg = cfg;
            this.args = args;
            this.loader = loader;
            this.log = log;
            this.handlers = handlers;
            this.out = out;
            this.exit = exit;
        }

        void onSignal(String name) {
            switch (name) {
                case "HUP" -> reload();
                case "INT" -> terminate("interrupt", !cfg.skipLeaveOnInterrupt());
                case "TERM" -> terminate("terminated", cfg.leaveOnTerminate());
                default -> { }
            }
        }

        private void terminate(String what, boolean gracefully) {
            out.println("==> Caught signal: " + what);
            if (shuttingDown) {
                // A second signal while leaving: give up at once.
                exit.set(1);
                agent.stop();
                return;
            }
            shuttingDown = true;
            if (!gracefully) {
                exit.set(1);
                agent.stop();
                return;
            }
            out.println("==> Gracefully shutting down agent...");
            Thread.ofVirtual().name("agent-graceful-leave").start(() -> {
                try {
                    agent.serf().leave();
                    exit.compareAndSet(-1, 0);
                } catch (SerfException e) {
                    out.println("==> Error: " + e.getMessage());
                    exit.compareAndSet(-1, 1);
                }
                leaving.countDown();
                agent.stop();
            });
            Thread.ofVirtual().name("agent-leave-timeout").start(() -> {
                try {
                    if (!leaving.await(3, TimeUnit.SECONDS)) {
                        exit.compareAndSet(-1, 1);
                        agent.stop();
                    }
                } catch (InterruptedException e) {
                    // exiting anyway
                }
            });
        }

        private void reload() {
            out.println("==> Reloading configuration...");
            LoadedConfig fresh;
            try {
                fresh = loader.load(args);
            } catch (ConfigException e) {
                log.log(LogLevel.ERR, "agent: Failed to reload configs: " + e.getMessage());
                return;
            }
            AgentConfig c = fresh.config();
            LogLevel.parse(c.logLevel()).ifPresentOrElse(log::setLevel,
                    () -> log.log(LogLevel.ERR, "agent: Invalid log level: " + c.logLevel()));
            handlers.updateScripts(EventScript.parseAll(c.eventHandlers()));
            agent.setHandlerStats(c.eventHandlers());
            java.util.Map<String, String> tags = new java.util.LinkedHashMap<>(c.tags());
            if (!c.role().isEmpty()) {
                tags.put("role", c.role());
            }
            if (!c.tagsFile().isEmpty()) {
                return; // tags from a tags file are changed through the tags command only
            }
            if (!tags.equals(agent.serf().tags())) {
                try {
                    agent.setTags(tags);
                } catch (Exception e) {
                    log.log(LogLevel.ERR, "agent: Failed to update tags: " + e.getMessage());
                }
            }
        }
    }
}
