package serf.agent.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import serf.agent.handler.EventScript;
import serf.agent.internal.GoDuration;
import serf.agent.internal.GoFlagSet;
import serf.agent.internal.GoFlagSet.Kind;

/**
 * Reads the configuration of {@code serf agent} exactly as the Go agent's {@code readConfig} does:
 * the command line (Go {@code flag} syntax, the agent's flags), then the config files and
 * directories, merged in Go's order (defaults, then files in command-line order, then flags), then
 * the host name default, handler and interface checks, the {@code role} tag and the lower bounds
 * on the retry interval and broadcast timeout. The same call serves a reload (SIGHUP).
 *
 * <p>The later start-up checks (log level, addresses, key, profile, tags file, keyring, protocol)
 * are {@link AgentConfigValidator}'s. The agent reads no environment variables of its own.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class AgentConfigLoader {

    /** Go refuses intervals below this and uses it instead, with a warning. */
    public static final Duration MIN_RETRY_INTERVAL = Duration.ofSeconds(1);

    /** Go refuses broadcast timeouts below this and uses it instead, with a warning. */
    public static final Duration MIN_BROADCAST_TIMEOUT = Duration.ofSeconds(1);

    private static final GoFlagSet FLAGS = new GoFlagSet()
            .define("bind", Kind.STRING)
            .define("advertise", Kind.STRING)
            .define("config-file", Kind.LIST)
            .define("config-dir", Kind.LIST)
            .define("encrypt", Kind.STRING)
            .define("keyring-file", Kind.STRING)
            .define("event-handler", Kind.LIST)
            .define("join", Kind.LIST)
            .define("replay", Kind.BOOL)
            .define("log-level", Kind.STRING)
            .define("node", Kind.STRING)
            .define("protocol", Kind.INT)
            .define("role", Kind.STRING)
            .define("rpc-addr", Kind.STRING)
            .define("profile", Kind.STRING)
            .define("snapshot", Kind.STRING)
            .define("tag", Kind.LIST)
            .define("discover", Kind.STRING)
            .define("iface", Kind.STRING)
            .define("tags-file", Kind.STRING)
            .define("syslog", Kind.BOOL)
            .define("retry-join", Kind.LIST)
            .define("retry-max", Kind.INT)
            .define("retry-interval", Kind.STRING)
            .define("rejoin", Kind.BOOL)
            .define("disable-compression", Kind.BOOL)
            .define("broadcast-timeout", Kind.STRING)
            // Ours, not Go's: serve Prometheus text on this address (loopback unless a host is given).
            .define("metrics-prometheus-addr", Kind.STRING);

    private final Supplier<String> hostname;
    private final Function<String, Optional<String>> interfaceCheck;

    /** A loader using this host's name and network interfaces. */
    public AgentConfigLoader() {
        this(AgentConfigLoader::osHostname, AgentConfigLoader::checkInterface);
    }

    /**
     * A loader with its environment supplied (for tests and embedding).
     *
     * @param hostname       Go's {@code os.Hostname()}; a runtime exception from it is reported as
     *                       {@code Error determining hostname: <its message>}
     * @param interfaceCheck given an interface name, the Go error text if there is no such interface
     */
    public AgentConfigLoader(Supplier<String> hostname, Function<String, Optional<String>> interfaceCheck) {
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.interfaceCheck = Objects.requireNonNull(interfaceCheck, "interfaceCheck");
    }

    /** The flag names {@code serf agent} defines (without the leading dash). */
    public static java.util.Set<String> flagNames() {
        return FLAGS.definitions().keySet();
    }

    /**
     * Parses the arguments that follow {@code serf agent} and loads the configuration.
     *
     * @throws ConfigException with what Go prints and how (usage after a flag error)
     */
    public LoadedConfig load(List<String> args) throws ConfigException {
        GoFlagSet.Result flags;
        try {
            flags = FLAGS.parse(args);
        } catch (GoFlagSet.FlagException e) {
            throw new ConfigException(ConfigException.Kind.USAGE, e.getMessage());
        }
        AgentConfig.Builder cmd = AgentConfig.builder()
                .bindAddr(flags.string("bind", ""))
                .advertiseAddr(flags.string("advertise", ""))
                .encryptKey(flags.string("encrypt", ""))
                .keyringFile(flags.string("keyring-file", ""))
                .eventHandlers(flags.list("event-handler"))
                .startJoin(flags.list("join"))
                .replayOnJoin(flags.bool("replay", false))
                .logLevel(flags.string("log-level", ""))
                .nodeName(flags.string("node", ""))
                .protocol(flags.integer("protocol", -1))
                .role(flags.string("role", ""))
                .rpcAddr(flags.string("rpc-addr", ""))
                .profile(flags.string("profile", ""))
                .snapshotPath(flags.string("snapshot", ""))
                .discover(flags.string("discover", ""))
                .iface(flags.string("iface", ""))
                .tagsFile(flags.string("tags-file", ""))
                .enableSyslog(flags.bool("syslog", false))
                .retryJoin(flags.list("retry-join"))
                .retryMaxAttempts(flags.integer("retry-max", 0))
                .rejoinAfterLeave(flags.bool("rejoin", false))
                .enableCompression(!flags.bool("disable-compression", false))
                .metricsPrometheusAddr(flags.string("metrics-prometheus-addr", ""));

        try {
            cmd.tags(GoFlagSet.unmarshalTags(flags.list("tag")));
        } catch (IllegalArgumentException e) {
            throw error("Error: " + e.getMessage());
        }
        String retryInterval = flags.string("retry-interval", "");
        if (!retryInterval.isEmpty()) {
            cmd.retryInterval(duration(retryInterval));
        }
        String broadcastTimeout = flags.string("broadcast-timeout", "");
        if (!broadcastTimeout.isEmpty()) {
            cmd.broadcastTimeout(duration(broadcastTimeout));
        }

        List<String> paths = flags.list("config-file", "config-dir");
        AgentConfig config = AgentConfig.defaults();
        if (!paths.isEmpty()) {
            try {
                config = AgentConfig.merge(config, ConfigPaths.read(paths));
            } catch (ConfigPaths.PathError e) {
                throw error(e.getMessage());
            }
        }
        config = AgentConfig.merge(config, cmd.build());

        AgentConfig.Builder out = config.toBuilder();
        if (config.nodeName().isEmpty()) {
            String host;
            try {
                host = hostname.get();
            } catch (RuntimeException e) {
                throw error("Error determining hostname: " + e.getMessage());
            }
            out.nodeName(host);
        }
        for (EventScript script : EventScript.parseAll(config.eventHandlers())) {
            if (!script.valid()) {
                throw error("Invalid event script: " + script);
            }
        }
        if (!config.iface().isEmpty()) {
            Optional<String> problem = interfaceCheck.apply(config.iface());
            if (problem.isPresent()) {
                throw error("Invalid network interface: " + problem.get());
            }
        }
        List<String> warnings = new ArrayList<>();
        if (!config.role().isEmpty()) {
            warnings.add("Deprecation warning: 'Role' has been replaced with 'Tags'");
            out.tag("role", config.role());
        }
        if (config.retryInterval().compareTo(MIN_RETRY_INTERVAL) < 0) {
            out.retryInterval(MIN_RETRY_INTERVAL);
            warnings.add("Warning: 'RetryInterval' is too low. Setting to " + GoDuration.format(MIN_RETRY_INTERVAL));
        }
        if (config.broadcastTimeout().compareTo(MIN_BROADCAST_TIMEOUT) < 0) {
            out.broadcastTimeout(MIN_BROADCAST_TIMEOUT);
            warnings.add("Warning: 'BroadcastTimeout' is too low. Setting to " + GoDuration.format(MIN_BROADCAST_TIMEOUT));
        }
        if (config.rejoinAfterLeave() && config.snapshotPath().isEmpty()) {
            warnings.add("Warning: 'RejoinAfterLeave' enabled without snapshot file");
        }
        return new LoadedConfig(out.build(), warnings, paths, flags.remaining());
    }

    private static Duration duration(String text) throws ConfigException {
        try {
            return GoDuration.parse(text);
        } catch (IllegalArgumentException e) {
            throw error("Error: " + e.getMessage());
        }
    }

    private static ConfigException error(String message) {
        return new ConfigException(ConfigException.Kind.ERROR, message);
    }

    /** Go's {@code os.Hostname()} on Linux: the kernel's host name, else the JDK's view. */
    static String osHostname() {
        try {
            Path proc = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(proc)) {
                String s = new String(Files.readAllBytes(proc), StandardCharsets.UTF_8);
                if (s.endsWith("\n")) {
                    s = s.substring(0, s.length() - 1);
                }
                return s;
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Go's {@code net.InterfaceByName} failure text for an unknown interface, if any. */
    static Optional<String> checkInterface(String name) {
        try {
            if (NetworkInterface.getByName(name) == null) {
                return Optional.of("route ip+net: no such network interface");
            }
            return Optional.empty();
        } catch (SocketException e) {
            return Optional.of("route ip+net: " + e.getMessage());
        }
    }
}
