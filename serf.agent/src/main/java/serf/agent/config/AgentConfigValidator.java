package serf.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import serf.client.internal.GoNet;
import serf.agent.internal.GoText;
import serf.crypto.KeyringException;
import serf.crypto.Keys;

/**
 * The start-up checks the Go agent makes after reading its configuration, in Go's order and with
 * Go's texts: the log level; the bind, interface and advertise addresses; the encryption key's
 * base64; the timing profile; then, after {@code Starting Serf agent...}, the tags file and keyring
 * file ({@code Failed to setup the Serf agent: ...}) and finally what serf itself refuses, the
 * protocol version and the key size ({@code Failed to start the Serf agent: Error creating Serf: ...}).
 *
 * <p>Each step is available on its own for an agent that interleaves them with its own output;
 * {@link #validate} runs them all. Stateless and thread-safe.
 */
public final class AgentConfigValidator {

    /** Log levels the agent accepts (upper-cased), in order of severity. */
    public static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERR");

    /** The line the Go agent prints before creating Serf; errors after it are preceded by it. */
    public static final String STARTING = "Starting Serf agent...";

    /** Serf protocol versions serf 0.9.4 speaks. */
    public static final int PROTOCOL_MIN = 2;
    public static final int PROTOCOL_MAX = AgentConfig.PROTOCOL_VERSION_MAX;

    private static final String KEY_SIZE = "key size must be 16, 24 or 32 bytes";

    private AgentConfigValidator() {
    }

    /**
     * What the agent starts Serf with once every check passed.
     *
     * @param logLevel      the upper-cased log level
     * @param bind          the bind IP and port
     * @param advertise     the advertise IP and port, if configured
     * @param encryptKey    the decoded {@code -encrypt} key, empty when none
     * @param keyring       the keys of the keyring file, primary first; empty when none
     * @param tags          the tags Serf starts with (the tags file's when one exists)
     * @param protocol      the Serf protocol version (Go's uint8 of the config value)
     * @param notices       lines the Go agent prints while setting up (e.g. which interface address it
     *                      picked), each shown as {@code "==> " + line}
     */
    public record Startup(String logLevel, AddrParts bind, Optional<AddrParts> advertise, byte[] encryptKey,
                          List<byte[]> keyring, Map<String, String> tags, int protocol, List<String> notices) {
        public Startup {
            keyring = List.copyOf(keyring);
            tags = Map.copyOf(tags);
            notices = List.copyOf(notices);
            encryptKey = encryptKey.clone();
        }

        @Override
        public byte[] encryptKey() {
            return encryptKey.clone();
        }
    }

    /** Runs every check in Go's order. The exception's message is what the Go agent prints. */
    public static Startup validate(AgentConfig config) throws ConfigException {
        String level = logLevel(config);
        List<String> notices = new ArrayList<>();
        AddrParts bind = bind(config, notices);
        Optional<AddrParts> advertise = advertise(config);
        byte[] key = encryptKey(config);
        profile(config);
        Map<String, String> tags = tags(config);
        List<byte[]> keyring = keyring(config);
        serf(config, key);
        return new Startup(level, bind, advertise, key, keyring, tags, config.serfProtocolVersion(), notices);
    }

    /** {@code Invalid log level: X. Valid log levels are: [TRACE DEBUG INFO WARN ERR]}; returns the upper-cased level. */
    public static String logLevel(AgentConfig config) throws ConfigException {
        String level = GoText.toUpper(config.logLevel());
        if (!LOG_LEVELS.contains(level)) {
            throw error("Invalid log level: " + level + ". Valid log levels are: [" + String.join(" ", LOG_LEVELS) + "]");
        }
        return level;
    }

    /**
     * {@code Invalid bind address: ...}. With an interface configured, a wildcard bind takes the
     * interface's first non-link-local address (adding a notice line), and a specific bind IP must
     * belong to the interface.
     */
    public static AddrParts bind(AgentConfig config, List<String> notices) throws ConfigException {
        AddrParts bind;
        try {
            bind = AddrParts.parse(config.bindAddr());
        } catch (IllegalArgumentException e) {
            throw error("Invalid bind address: " + e.getMessage());
        }
        if (config.iface().isEmpty()) {
            return bind;
        }
        List<java.net.InetAddress> addrs = interfaceAddresses(config.iface());
        if (addrs.isEmpty()) {
            throw error("Interface '" + config.iface() + "' has no addresses");
        }
        if (bind.ip().equals("0.0.0.0")) {
            for (java.net.InetAddress a : addrs) {
                if (a.isLinkLocalAddress()) {
                    continue;
                }
                String ip = GoNet.ipString(a.getAddress());
                notices.add("Using interface '" + config.iface() + "' address '" + ip + "'");
                return new AddrParts(ip, bind.port());
            }
            throw error("Failed to find usable address for interface '" + config.iface() + "'");
        }
        for (java.net.InetAddress a : addrs) {
            if (GoNet.ipString(a.getAddress()).equals(bind.ip())) {
                return bind;
            }
        }
        throw error("Interface '" + config.iface() + "' has no '" + bind.ip() + "' address");
    }

    /** Addresses of an interface, IPv4 first as the kernel lists them to Go. */
    private static List<java.net.InetAddress> interfaceAddresses(String name) throws ConfigException {
        try {
            java.net.NetworkInterface ni = java.net.NetworkInterface.getByName(name);
            if (ni == null) {
                throw error("Invalid network interface: route ip+net: no such network interface");
            }
            List<java.net.InetAddress> v4 = new ArrayList<>();
            List<java.net.InetAddress> v6 = new ArrayList<>();
            for (java.net.InetAddress a : java.util.Collections.list(ni.getInetAddresses())) {
                (a instanceof java.net.Inet4Address ? v4 : v6).add(a);
            }
            v4.addAll(v6);
            return v4;
        } catch (java.net.SocketException e) {
            throw error("Failed to get interface addresses: " + e.getMessage());
        }
    }

    /** {@code Invalid advertise address: ...}; empty when no advertise address is configured. */
    public static Optional<AddrParts> advertise(AgentConfig config) throws ConfigException {
        if (config.advertiseAddr().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(AddrParts.parse(config.advertiseAddr()));
        } catch (IllegalArgumentException e) {
            throw error("Invalid advertise address: " + e.getMessage());
        }
    }

    /**
     * The {@code -encrypt} key's bytes (empty when none): {@code Invalid encryption key: illegal base64
     * data at input byte N}. A key of the wrong size passes here; Go refuses it when creating Serf
     * ({@link #serf}).
     */
    public static byte[] encryptKey(AgentConfig config) throws ConfigException {
        if (config.encryptKey().isEmpty()) {
            return new byte[0];
        }
        try {
            return Keys.decode(config.encryptKey());
        } catch (KeyringException e) {
            if (KEY_SIZE.equals(e.getMessage())) {
                return new byte[0]; // valid base64; the size is checked later, as in Go
            }
            throw error("Invalid encryption key: " + e.getMessage());
        }
    }

    /** {@code Unknown profile: X} unless {@code lan}, {@code wan} or {@code local}. */
    public static void profile(AgentConfig config) throws ConfigException {
        switch (config.profile()) {
            case "lan", "wan", "local" -> { }
            default -> throw error("Unknown profile: " + config.profile());
        }
    }

    /**
     * The tags Serf starts with: the configured tags, or the tags file's content when one is
     * configured and exists. {@code Failed to setup the Serf agent: Tags config not allowed while
     * using tag files} when both are given (the {@code role} tag counts).
     */
    public static Map<String, String> tags(AgentConfig config) throws ConfigException {
        if (config.tagsFile().isEmpty()) {
            return config.tags();
        }
        if (!config.tags().isEmpty()) {
            throw setup("Tags config not allowed while using tag files");
        }
        try {
            return TagsFile.read(Path.of(config.tagsFile())).orElse(config.tags());
        } catch (IOException e) {
            throw setup(e.getMessage());
        }
    }

    /**
     * The keyring file's keys, primary first (empty without a keyring file), with the Go agent's
     * refusals: {@code Encryption key not allowed while using a keyring}, a failed stat,
     * {@code Failed to decode keyring file: ...}, {@code Failed to decode key from keyring: ...},
     * {@code Keyring file contains no keys}, {@code Failed to restore keyring: ...}; all prefixed
     * {@code Failed to setup the Serf agent: }.
     */
    public static List<byte[]> keyring(AgentConfig config) throws ConfigException {
        if (config.keyringFile().isEmpty()) {
            return List.of();
        }
        if (!config.encryptKey().isEmpty()) {
            throw setup("Encryption key not allowed while using a keyring");
        }
        Path file = Path.of(config.keyringFile());
        try {
            Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (IOException e) {
            throw setup(GoOs.pathError("stat", config.keyringFile(), e));
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(1024 * 1024 + 1);
        } catch (IOException e) {
            throw setup("Failed to read keyring file: " + GoOs.pathError(Files.isDirectory(file) ? "read" : "open",
                    config.keyringFile(), e));
        }
        if (bytes.length > 1024 * 1024) {
            throw setup("Failed to read keyring file: larger than 1048576 bytes");
        }
        Object parsed;
        try {
            parsed = GoJson.unmarshal(bytes);
        } catch (GoJson.JsonException e) {
            throw setup("Failed to decode keyring file: " + e.getMessage());
        }
        List<String> encoded = new ArrayList<>();
        if (parsed != null) {
            if (!(parsed instanceof List<?> list)) {
                throw setup("Failed to decode keyring file: json: cannot unmarshal "
                        + (parsed instanceof Map<?, ?> ? "object" : parsed instanceof String ? "string"
                        : parsed instanceof Boolean ? "bool" : "number") + " into Go value of type []string");
            }
            String typeError = null;
            for (Object o : list) {
                if (o == null || o instanceof String) {
                    encoded.add(o == null ? "" : (String) o);
                } else if (typeError == null) {
                    typeError = "json: cannot unmarshal " + (o instanceof Map<?, ?> ? "object" : o instanceof List<?> ? "array"
                            : o instanceof Boolean ? "bool" : "number") + " into Go value of type string";
                }
            }
            if (typeError != null) {
                throw setup("Failed to decode keyring file: " + typeError);
            }
        }
        List<byte[]> keys = new ArrayList<>();
        boolean badSize = false;
        for (String k : encoded) {
            try {
                keys.add(Keys.decode(k));
            } catch (KeyringException e) {
                if (!KEY_SIZE.equals(e.getMessage())) {
                    throw setup("Failed to decode key from keyring: " + e.getMessage());
                }
                badSize = true;
            }
        }
        if (encoded.isEmpty()) {
            throw setup("Keyring file contains no keys");
        }
        if (badSize) {
            throw setup("Failed to restore keyring: " + KEY_SIZE);
        }
        return keys;
    }

    /**
     * What serf refuses when the agent creates it: a protocol version outside 2..5 (after Go's uint8
     * conversion) and an {@code -encrypt} key that is not 16, 24 or 32 bytes.
     */
    public static void serf(AgentConfig config, byte[] decodedKey) throws ConfigException {
        int v = config.serfProtocolVersion();
        if (v < PROTOCOL_MIN) {
            throw start("Protocol version '" + v + "' too low. Must be in range: [" + PROTOCOL_MIN + ", " + PROTOCOL_MAX + "]");
        }
        if (v > PROTOCOL_MAX) {
            throw start("Protocol version '" + v + "' too high. Must be in range: [" + PROTOCOL_MIN + ", " + PROTOCOL_MAX + "]");
        }
        if (!config.encryptKey().isEmpty() && decodedKey.length == 0) {
            throw start("Failed to create memberlist: " + KEY_SIZE);
        }
    }

    private static ConfigException error(String message) {
        return new ConfigException(ConfigException.Kind.ERROR, message);
    }

    private static ConfigException setup(String message) {
        return new ConfigException(ConfigException.Kind.ERROR, "Failed to setup the Serf agent: " + message,
                List.of(STARTING));
    }

    private static ConfigException start(String message) {
        return new ConfigException(ConfigException.Kind.ERROR, "Failed to start the Serf agent: Error creating Serf: "
                + message, List.of(STARTING));
    }
}
