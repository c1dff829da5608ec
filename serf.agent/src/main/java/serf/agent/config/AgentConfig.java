package serf.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The complete configuration of {@code serf agent}, field for field the Go agent's {@code Config}
 * (JSON keys in the component docs). Go's zero values mean "not set": {@code ""}, {@code 0},
 * {@code false}, {@link Duration#ZERO}, an empty list or map. {@link #defaults()} is Go's
 * {@code DefaultConfig()}, {@link #EMPTY} the zero config a file is decoded onto, and
 * {@link #merge} is Go's {@code MergeConfig}.
 *
 * <p>Go {@code int} fields are {@code long} here (Go's int is 64 bits), so values pass through as
 * Go would pass them; {@link #serfProtocolVersion()} applies Go's {@code uint8} conversion.
 *
 * @param nodeName               {@code node_name}; empty means the host name
 * @param role                   {@code role} (deprecated; becomes tag {@code role})
 * @param disableCoordinates     {@code disable_coordinates}
 * @param tags                   {@code tags}; insertion-ordered, unmodifiable
 * @param tagsFile               {@code tags_file}
 * @param bindAddr               {@code bind}: {@code host[:port]}, port 7946 when missing
 * @param advertiseAddr          {@code advertise}
 * @param encryptKey             {@code encrypt_key}: standard base64
 * @param keyringFile            {@code keyring_file}
 * @param logLevel               {@code log_level}
 * @param rpcAddr                {@code rpc_addr}
 * @param rpcAuthKey             {@code rpc_auth} (no command-line flag)
 * @param protocol               {@code protocol}: Serf protocol version
 * @param replayOnJoin           {@code replay_on_join}
 * @param queryResponseSizeLimit {@code query_response_size_limit}
 * @param querySizeLimit         {@code query_size_limit}
 * @param userEventSizeLimit     {@code user_event_size_limit}
 * @param startJoin              {@code start_join}
 * @param eventHandlers          {@code event_handlers}: handler specs, see {@code serf.agent.handler.EventScript}
 * @param profile                {@code profile}: {@code lan}, {@code wan} or {@code local}
 * @param snapshotPath           {@code snapshot_path}
 * @param leaveOnTerminate       {@code leave_on_terminate}
 * @param skipLeaveOnInterrupt   {@code skip_leave_on_interrupt}
 * @param discover               {@code discover}: mDNS cluster name
 * @param iface                  {@code interface}
 * @param reconnectInterval      {@code reconnect_interval} (Go duration string in files)
 * @param reconnectTimeout       {@code reconnect_timeout}
 * @param tombstoneTimeout       {@code tombstone_timeout}
 * @param disableNameResolution  {@code disable_name_resolution}
 * @param enableSyslog           {@code enable_syslog}
 * @param syslogFacility         {@code syslog_facility}
 * @param retryJoin              {@code retry_join}
 * @param retryMaxAttempts       {@code retry_max_attempts}
 * @param retryInterval          {@code retry_interval}
 * @param rejoinAfterLeave       {@code rejoin_after_leave}
 * @param enableCompression      {@code enable_compression}; after loading always {@code !-disable-compression}
 * @param statsiteAddr           {@code statsite_addr}
 * @param statsdAddr             {@code statsd_addr}
 * @param broadcastTimeout       {@code broadcast_timeout}
 * @param metricsPrometheusAddr  {@code metrics_prometheus_addr} (ours, not Go's): where to serve Prometheus text, "" = off
 */
public record AgentConfig(
        String nodeName,
        String role,
        boolean disableCoordinates,
        Map<String, String> tags,
        String tagsFile,
        String bindAddr,
        String advertiseAddr,
        String encryptKey,
        String keyringFile,
        String logLevel,
        String rpcAddr,
        String rpcAuthKey,
        long protocol,
        boolean replayOnJoin,
        long queryResponseSizeLimit,
        long querySizeLimit,
        long userEventSizeLimit,
        List<String> startJoin,
        List<String> eventHandlers,
        String profile,
        String snapshotPath,
        boolean leaveOnTerminate,
        boolean skipLeaveOnInterrupt,
        String discover,
        String iface,
        Duration reconnectInterval,
        Duration reconnectTimeout,
        Duration tombstoneTimeout,
        boolean disableNameResolution,
        boolean enableSyslog,
        String syslogFacility,
        List<String> retryJoin,
        long retryMaxAttempts,
        Duration retryInterval,
        boolean rejoinAfterLeave,
        boolean enableCompression,
        String statsiteAddr,
        String statsdAddr,
        Duration broadcastTimeout,
        String metricsPrometheusAddr) {

    /** The agent's default bind port when an address has none. */
    public static final int DEFAULT_BIND_PORT = 7946;

    /** Serf protocol version the agent uses unless told otherwise (serf.ProtocolVersionMax). */
    public static final int PROTOCOL_VERSION_MAX = 5;

    /** Go's zero {@code Config}: what each config file is decoded onto. */
    public static final AgentConfig EMPTY = new Builder().build();

    public AgentConfig {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(role, "role");
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(tags, "tags")));
        for (Map.Entry<String, String> e : tags.entrySet()) {
            Objects.requireNonNull(e.getKey(), "tag name");
            Objects.requireNonNull(e.getValue(), "tag value");
        }
        Objects.requireNonNull(tagsFile, "tagsFile");
        Objects.requireNonNull(bindAddr, "bindAddr");
        Objects.requireNonNull(advertiseAddr, "advertiseAddr");
        Objects.requireNonNull(encryptKey, "encryptKey");
        Objects.requireNonNull(keyringFile, "keyringFile");
        Objects.requireNonNull(logLevel, "logLevel");
        Objects.requireNonNull(rpcAddr, "rpcAddr");
        Objects.requireNonNull(rpcAuthKey, "rpcAuthKey");
        startJoin = List.copyOf(startJoin);
        eventHandlers = List.copyOf(eventHandlers);
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(snapshotPath, "snapshotPath");
        Objects.requireNonNull(discover, "discover");
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(reconnectInterval, "reconnectInterval");
        Objects.requireNonNull(reconnectTimeout, "reconnectTimeout");
        Objects.requireNonNull(tombstoneTimeout, "tombstoneTimeout");
        Objects.requireNonNull(syslogFacility, "syslogFacility");
        retryJoin = List.copyOf(retryJoin);
        Objects.requireNonNull(retryInterval, "retryInterval");
        Objects.requireNonNull(statsiteAddr, "statsiteAddr");
        Objects.requireNonNull(statsdAddr, "statsdAddr");
        Objects.requireNonNull(broadcastTimeout, "broadcastTimeout");
        Objects.requireNonNull(metricsPrometheusAddr, "metricsPrometheusAddr");
    }

    /** Go's {@code DefaultConfig()}. */
    public static AgentConfig defaults() {
        return new Builder()
                .bindAddr("0.0.0.0")
                .logLevel("INFO")
                .rpcAddr("127.0.0.1:7373")
                .protocol(PROTOCOL_VERSION_MAX)
                .profile("lan")
                .retryInterval(Duration.ofSeconds(30))
                .syslogFacility("LOCAL0")
                .queryResponseSizeLimit(1024)
                .querySizeLimit(1024)
                .userEventSizeLimit(512)
                .broadcastTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * Go's {@code MergeConfig(a, b)}: strings from {@code b} when non-empty, numbers and durations
     * when non-zero ({@code protocol} when positive), bools only switched on, tags merged key by
     * key, {@code event_handlers}/{@code start_join}/{@code retry_join} concatenated, and
     * {@code enable_compression} always taken from {@code b}.
     */
    public static AgentConfig merge(AgentConfig a, AgentConfig b) {
        Builder r = a.toBuilder();
        if (!b.nodeName.isEmpty()) {
            r.nodeName(b.nodeName);
        }
        if (!b.role.isEmpty()) {
            r.role(b.role);
        }
        if (b.disableCoordinates) {
            r.disableCoordinates(true);
        }
        Map<String, String> tags = new LinkedHashMap<>(a.tags);
        tags.putAll(b.tags);
        r.tags(tags);
        if (!b.bindAddr.isEmpty()) {
            r.bindAddr(b.bindAddr);
        }
        if (!b.advertiseAddr.isEmpty()) {
            r.advertiseAddr(b.advertiseAddr);
        }
        if (!b.encryptKey.isEmpty()) {
            r.encryptKey(b.encryptKey);
        }
        if (!b.logLevel.isEmpty()) {
            r.logLevel(b.logLevel);
        }
        if (b.protocol > 0) {
            r.protocol(b.protocol);
        }
        if (!b.rpcAddr.isEmpty()) {
            r.rpcAddr(b.rpcAddr);
        }
        if (!b.rpcAuthKey.isEmpty()) {
            r.rpcAuthKey(b.rpcAuthKey);
        }
        if (b.replayOnJoin) {
            r.replayOnJoin(true);
        }
        if (!b.profile.isEmpty()) {
            r.profile(b.profile);
        }
        if (!b.snapshotPath.isEmpty()) {
            r.snapshotPath(b.snapshotPath);
        }
        if (b.leaveOnTerminate) {
            r.leaveOnTerminate(true);
        }
        if (b.skipLeaveOnInterrupt) {
            r.skipLeaveOnInterrupt(true);
        }
        if (!b.discover.isEmpty()) {
            r.discover(b.discover);
        }
        if (!b.iface.isEmpty()) {
            r.iface(b.iface);
        }
        if (!b.reconnectInterval.isZero()) {
            r.reconnectInterval(b.reconnectInterval);
        }
        if (!b.reconnectTimeout.isZero()) {
            r.reconnectTimeout(b.reconnectTimeout);
        }
        if (!b.tombstoneTimeout.isZero()) {
            r.tombstoneTimeout(b.tombstoneTimeout);
        }
        if (b.disableNameResolution) {
            r.disableNameResolution(true);
        }
        if (!b.tagsFile.isEmpty()) {
            r.tagsFile(b.tagsFile);
        }
        if (!b.keyringFile.isEmpty()) {
            r.keyringFile(b.keyringFile);
        }
        if (b.enableSyslog) {
            r.enableSyslog(true);
        }
        if (b.retryMaxAttempts != 0) {
            r.retryMaxAttempts(b.retryMaxAttempts);
        }
        if (!b.retryInterval.isZero()) {
            r.retryInterval(b.retryInterval);
        }
        if (b.rejoinAfterLeave) {
            r.rejoinAfterLeave(true);
        }
        if (!b.syslogFacility.isEmpty()) {
            r.syslogFacility(b.syslogFacility);
        }
        if (!b.statsiteAddr.isEmpty()) {
            r.statsiteAddr(b.statsiteAddr);
        }
        if (!b.statsdAddr.isEmpty()) {
            r.statsdAddr(b.statsdAddr);
        }
        if (b.queryResponseSizeLimit != 0) {
            r.queryResponseSizeLimit(b.queryResponseSizeLimit);
        }
        if (b.querySizeLimit != 0) {
            r.querySizeLimit(b.querySizeLimit);
        }
        if (b.userEventSizeLimit != 0) {
            r.userEventSizeLimit(b.userEventSizeLimit);
        }
        if (!b.broadcastTimeout.isZero()) {
            r.broadcastTimeout(b.broadcastTimeout);
        }
        if (!b.metricsPrometheusAddr.isEmpty()) {
            r.metricsPrometheusAddr(b.metricsPrometheusAddr);
        }
        r.enableCompression(b.enableCompression);
        r.eventHandlers(concat(a.eventHandlers, b.eventHandlers));
        r.startJoin(concat(a.startJoin, b.startJoin));
        r.retryJoin(concat(a.retryJoin, b.retryJoin));
        return r.build();
    }

    private static List<String> concat(List<String> x, List<String> y) {
        List<String> out = new ArrayList<>(x.size() + y.size());
        out.addAll(x);
        out.addAll(y);
        return out;
    }

    /** The Serf protocol version Go hands to serf: {@code uint8(protocol)}. */
    public int serfProtocolVersion() {
        return (int) (protocol & 0xFF);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A mutable copy of a config, starting from Go's zero values. Not thread-safe. */
    public static final class Builder {
        private String nodeName = "";
        private String role = "";
        private boolean disableCoordinates;
        private Map<String, String> tags = new LinkedHashMap<>();
        private String tagsFile = "";
        private String bindAddr = "";
        private String advertiseAddr = "";
        private String encryptKey = "";
        private String keyringFile = "";
        private String logLevel = "";
        private String rpcAddr = "";
        private String rpcAuthKey = "";
        private long protocol;
        private boolean replayOnJoin;
        private long queryResponseSizeLimit;
        private long querySizeLimit;
        private long userEventSizeLimit;
        private List<String> startJoin = new ArrayList<>();
        private List<String> eventHandlers = new ArrayList<>();
        private String profile = "";
        private String snapshotPath = "";
        private boolean leaveOnTerminate;
        private boolean skipLeaveOnInterrupt;
        private String discover = "";
        private String iface = "";
        private Duration reconnectInterval = Duration.ZERO;
        private Duration reconnectTimeout = Duration.ZERO;
        private Duration tombstoneTimeout = Duration.ZERO;
        private boolean disableNameResolution;
        private boolean enableSyslog;
        private String syslogFacility = "";
        private List<String> retryJoin = new ArrayList<>();
        private long retryMaxAttempts;
        private Duration retryInterval = Duration.ZERO;
        private boolean rejoinAfterLeave;
        private boolean enableCompression;
        private String statsiteAddr = "";
        private String statsdAddr = "";
        private Duration broadcastTimeout = Duration.ZERO;
        private String metricsPrometheusAddr = "";

        public Builder() {
        }

        Builder(AgentConfig c) {
            nodeName = c.nodeName;
            role = c.role;
            disableCoordinates = c.disableCoordinates;
            tags = new LinkedHashMap<>(c.tags);
            tagsFile = c.tagsFile;
            bindAddr = c.bindAddr;
            advertiseAddr = c.advertiseAddr;
            encryptKey = c.encryptKey;
            keyringFile = c.keyringFile;
            logLevel = c.logLevel;
            rpcAddr = c.rpcAddr;
            rpcAuthKey = c.rpcAuthKey;
            protocol = c.protocol;
            replayOnJoin = c.replayOnJoin;
            queryResponseSizeLimit = c.queryResponseSizeLimit;
            querySizeLimit = c.querySizeLimit;
            userEventSizeLimit = c.userEventSizeLimit;
            startJoin = new ArrayList<>(c.startJoin);
            eventHandlers = new ArrayList<>(c.eventHandlers);
            profile = c.profile;
            snapshotPath = c.snapshotPath;
            leaveOnTerminate = c.leaveOnTerminate;
            skipLeaveOnInterrupt = c.skipLeaveOnInterrupt;
            discover = c.discover;
            iface = c.iface;
            reconnectInterval = c.reconnectInterval;
            reconnectTimeout = c.reconnectTimeout;
            tombstoneTimeout = c.tombstoneTimeout;
            disableNameResolution = c.disableNameResolution;
            enableSyslog = c.enableSyslog;
            syslogFacility = c.syslogFacility;
            retryJoin = new ArrayList<>(c.retryJoin);
            retryMaxAttempts = c.retryMaxAttempts;
            retryInterval = c.retryInterval;
            rejoinAfterLeave = c.rejoinAfterLeave;
            enableCompression = c.enableCompression;
            statsiteAddr = c.statsiteAddr;
            statsdAddr = c.statsdAddr;
            broadcastTimeout = c.broadcastTimeout;
            metricsPrometheusAddr = c.metricsPrometheusAddr;
        }

        public Builder nodeName(String v) { nodeName = v; return this; }
        public Builder role(String v) { role = v; return this; }
        public Builder disableCoordinates(boolean v) { disableCoordinates = v; return this; }
        public Builder tags(Map<String, String> v) { tags = new LinkedHashMap<>(v); return this; }
        public Builder tag(String name, String value) { tags.put(name, value); return this; }
        public Builder tagsFile(String v) { tagsFile = v; return this; }
        public Builder bindAddr(String v) { bindAddr = v; return this; }
        public Builder advertiseAddr(String v) { advertiseAddr = v; return this; }
        public Builder encryptKey(String v) { encryptKey = v; return this; }
        public Builder keyringFile(String v) { keyringFile = v; return this; }
        public Builder logLevel(String v) { logLevel = v; return this; }
        public Builder rpcAddr(String v) { rpcAddr = v; return this; }
        public Builder rpcAuthKey(String v) { rpcAuthKey = v; return this; }
        public Builder protocol(long v) { protocol = v; return this; }
        public Builder replayOnJoin(boolean v) { replayOnJoin = v; return this; }
        public Builder queryResponseSizeLimit(long v) { queryResponseSizeLimit = v; return this; }
        public Builder querySizeLimit(long v) { querySizeLimit = v; return this; }
        public Builder userEventSizeLimit(long v) { userEventSizeLimit = v; return this; }
        public Builder startJoin(List<String> v) { startJoin = new ArrayList<>(v); return this; }
        public Builder eventHandlers(List<String> v) { eventHandlers = new ArrayList<>(v); return this; }
        public Builder profile(String v) { profile = v; return this; }
        public Builder snapshotPath(String v) { snapshotPath = v; return this; }
        public Builder leaveOnTerminate(boolean v) { leaveOnTerminate = v; return this; }
        public Builder skipLeaveOnInterrupt(boolean v) { skipLeaveOnInterrupt = v; return this; }
        public Builder discover(String v) { discover = v; return this; }
        public Builder iface(String v) { iface = v; return this; }
        public Builder reconnectInterval(Duration v) { reconnectInterval = v; return this; }
        public Builder reconnectTimeout(Duration v) { reconnectTimeout = v; return this; }
        public Builder tombstoneTimeout(Duration v) { tombstoneTimeout = v; return this; }
        public Builder disableNameResolution(boolean v) { disableNameResolution = v; return this; }
        public Builder enableSyslog(boolean v) { enableSyslog = v; return this; }
        public Builder syslogFacility(String v) { syslogFacility = v; return this; }
        public Builder retryJoin(List<String> v) { retryJoin = new ArrayList<>(v); return this; }
        public Builder retryMaxAttempts(long v) { retryMaxAttempts = v; return this; }
        public Builder retryInterval(Duration v) { retryInterval = v; return this; }
        public Builder rejoinAfterLeave(boolean v) { rejoinAfterLeave = v; return this; }
        public Builder enableCompression(boolean v) { enableCompression = v; return this; }
        public Builder statsiteAddr(String v) { statsiteAddr = v; return this; }
        public Builder statsdAddr(String v) { statsdAddr = v; return this; }
        public Builder broadcastTimeout(Duration v) { broadcastTimeout = v; return this; }
        public Builder metricsPrometheusAddr(String v) { metricsPrometheusAddr = v; return this; }

        public AgentConfig build() {
            return new AgentConfig(nodeName, role, disableCoordinates, tags, tagsFile, bindAddr, advertiseAddr,
                    encryptKey, keyringFile, logLevel, rpcAddr, rpcAuthKey, protocol, replayOnJoin,
                    queryResponseSizeLimit, querySizeLimit, userEventSizeLimit, startJoin, eventHandlers, profile,
                    snapshotPath, leaveOnTerminate, skipLeaveOnInterrupt, discover, iface, reconnectInterval,
                    reconnectTimeout, tombstoneTimeout, disableNameResolution, enableSyslog, syslogFacility,
                    retryJoin, retryMaxAttempts, retryInterval, rejoinAfterLeave, enableCompression, statsiteAddr,
                    statsdAddr, broadcastTimeout, metricsPrometheusAddr);
        }
    }
}
