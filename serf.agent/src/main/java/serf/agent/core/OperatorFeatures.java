package serf.agent.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import serf.agent.config.AgentConfig;
import serf.agent.discovery.MdnsDiscovery;
import serf.agent.discovery.MdnsService;
import serf.agent.discovery.SrvResolver;
import serf.agent.syslog.SyslogSink;

/**
 * The agent's operator features that the Go agent has and serf.api does not: {@code -syslog},
 * {@code -discover} (mDNS) and SRV names in join addresses. Settings beyond the Go agent's come
 * from the environment so that config files stay valid for the Go agent:
 * {@code SERF_SYSLOG_ADDR} (where syslog lines go, {@link serf.agent.syslog.SyslogTarget}) and
 * {@code SERF_DNS_SERVER} (the name server for SRV lookups, {@link SrvResolver}).
 */
final class OperatorFeatures {
    static final String SYSLOG_ADDR_ENV = "SERF_SYSLOG_ADDR";
    static final String DNS_SERVER_ENV = "SERF_DNS_SERVER";

    private OperatorFeatures() {
    }

    /** Opens syslog as {@code -syslog} asks; the lines that pass the log's level go there. */
    static SyslogSink openSyslog(AgentConfig cfg, AgentLog log, Function<String, String> env) throws IOException {
        SyslogSink sink = SyslogSink.open(env.apply(SYSLOG_ADDR_ENV), cfg.syslogFacility(), line -> {
            var level = LogLevel.ofLine(line);
            return level.isEmpty() || level.get().ordinal() >= log.level().ordinal();
        }, hostname());
        log.addMonitor(sink::accept);
        return sink;
    }

    /** The resolver for SRV names in join addresses. */
    static SrvResolver srvResolver(Function<String, String> env) {
        return SrvResolver.of(env.apply(DNS_SERVER_ENV));
    }

    /** Starts mDNS discovery for {@code -discover}, announcing the agent's advertised gossip address. */
    static MdnsDiscovery startMdns(AgentConfig cfg, Agent agent) throws IOException {
        InetSocketAddress adv = agent.serf().memberlist().advertiseAddress();
        NetworkInterface iface = null;
        if (!cfg.iface().isEmpty()) {
            iface = NetworkInterface.getByName(cfg.iface());
        }
        MdnsService svc = new MdnsService(cfg.discover(), cfg.nodeName(), hostname() + ".", adv.getPort(),
                adv.getAddress());
        return MdnsDiscovery.start(svc, iface, agent::join, cfg.replayOnJoin(), MdnsDiscovery.Settings.defaults());
    }

    /** Counters of a started feature for {@code stats}. */
    static Map<String, String> syslogStats(SyslogSink sink) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("syslog_sent", Long.toString(sink.sent()));
        m.put("syslog_dropped", Long.toString(sink.dropped()));
        return m;
    }

    private static String hostname() {
        try {
            String h = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | RuntimeException e) {
            // fall back below
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
