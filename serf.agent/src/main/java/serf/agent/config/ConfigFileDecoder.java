package serf.agent.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import serf.agent.internal.GoDuration;
import serf.agent.internal.GoText;

/**
 * Decodes one agent config file the way the Go agent's {@code DecodeConfig} does: JSON into
 * {@code interface{}}, then {@code mapstructure} into the config with unknown keys refused, then
 * the duration strings parsed. Keys match exactly or, failing that, case-insensitively; a JSON
 * {@code null} leaves a field alone; JSON numbers become Go ints by truncation; every type
 * problem is collected and reported in mapstructure's sorted multi-error format.
 */
final class ConfigFileDecoder {

    /** What a Go config field accepts. */
    private enum Kind { STRING, BOOL, INT, STRING_LIST, STRING_MAP, NANOS }

    /** Decoding state: the config so far plus the raw duration strings parsed at the end. */
    private static final class Target {
        final AgentConfig.Builder b = AgentConfig.builder();
        String reconnectInterval = "";
        String reconnectTimeout = "";
        String tombstoneTimeout = "";
        String retryInterval = "";
        String broadcastTimeout = "";
    }

    private record Field(String key, Kind kind, BiConsumer<Target, Object> set) {
    }

    /**
     * The Go struct's fields in declaration order with their mapstructure names. The five parsed
     * durations are tagged {@code "-"} in Go, which mapstructure treats as a plain key named "-",
     * so a top-level key "-" holding a number sets all five (as nanoseconds) — kept for parity.
     */
    private static final List<Field> FIELDS = List.of(
            str("node_name", (t, v) -> t.b.nodeName(v)),
            str("role", (t, v) -> t.b.role(v)),
            bool("disable_coordinates", (t, v) -> t.b.disableCoordinates(v)),
            new Field("tags", Kind.STRING_MAP, (t, v) -> t.b.tags(castMap(v))),
            str("tags_file", (t, v) -> t.b.tagsFile(v)),
            str("bind", (t, v) -> t.b.bindAddr(v)),
            str("advertise", (t, v) -> t.b.advertiseAddr(v)),
            str("encrypt_key", (t, v) -> t.b.encryptKey(v)),
            str("keyring_file", (t, v) -> t.b.keyringFile(v)),
            str("log_level", (t, v) -> t.b.logLevel(v)),
            str("rpc_addr", (t, v) -> t.b.rpcAddr(v)),
            str("rpc_auth", (t, v) -> t.b.rpcAuthKey(v)),
            integer("protocol", (t, v) -> t.b.protocol(v)),
            bool("replay_on_join", (t, v) -> t.b.replayOnJoin(v)),
            integer("query_response_size_limit", (t, v) -> t.b.queryResponseSizeLimit(v)),
            integer("query_size_limit", (t, v) -> t.b.querySizeLimit(v)),
            integer("user_event_size_limit", (t, v) -> t.b.userEventSizeLimit(v)),
            new Field("start_join", Kind.STRING_LIST, (t, v) -> t.b.startJoin(castList(v))),
            new Field("event_handlers", Kind.STRING_LIST, (t, v) -> t.b.eventHandlers(castList(v))),
            str("profile", (t, v) -> t.b.profile(v)),
            str("snapshot_path", (t, v) -> t.b.snapshotPath(v)),
            bool("leave_on_terminate", (t, v) -> t.b.leaveOnTerminate(v)),
            bool("skip_leave_on_interrupt", (t, v) -> t.b.skipLeaveOnInterrupt(v)),
            str("discover", (t, v) -> t.b.discover(v)),
            str("interface", (t, v) -> t.b.iface(v)),
            str("reconnect_interval", (t, v) -> t.reconnectInterval = v),
            nanos((t, v) -> t.b.reconnectInterval(v)),
            str("reconnect_timeout", (t, v) -> t.reconnectTimeout = v),
            nanos((t, v) -> t.b.reconnectTimeout(v)),
            str("tombstone_timeout", (t, v) -> t.tombstoneTimeout = v),
            nanos((t, v) -> t.b.tombstoneTimeout(v)),
            bool("disable_name_resolution", (t, v) -> t.b.disableNameResolution(v)),
            bool("enable_syslog", (t, v) -> t.b.enableSyslog(v)),
            str("syslog_facility", (t, v) -> t.b.syslogFacility(v)),
            new Field("retry_join", Kind.STRING_LIST, (t, v) -> t.b.retryJoin(castList(v))),
            integer("retry_max_attempts", (t, v) -> t.b.retryMaxAttempts(v)),
            str("retry_interval", (t, v) -> t.retryInterval = v),
            nanos((t, v) -> t.b.retryInterval(v)),
            bool("rejoin_after_leave", (t, v) -> t.b.rejoinAfterLeave(v)),
            bool("enable_compression", (t, v) -> t.b.enableCompression(v)),
            str("statsite_addr", (t, v) -> t.b.statsiteAddr(v)),
            str("statsd_addr", (t, v) -> t.b.statsdAddr(v)),
            // Ours, not Go's: the Prometheus endpoint's address.
            str("metrics_prometheus_addr", (t, v) -> t.b.metricsPrometheusAddr(v)),
            str("broadcast_timeout", (t, v) -> t.broadcastTimeout = v),
            nanos((t, v) -> t.b.broadcastTimeout(v)));

    /** Every JSON key a config file may use (the "-" quirk aside). */
    static final Set<String> KEYS;

    static {
        Set<String> keys = new LinkedHashSet<>();
        for (Field f : FIELDS) {
            if (!f.key.equals("-")) {
                keys.add(f.key);
            }
        }
        KEYS = Set.copyOf(keys);
    }

    private ConfigFileDecoder() {
    }

    /** A config file Go would refuse; the message is Go's text (without the {@code Error decoding} prefix). */
    static final class DecodeError extends Exception {
        private static final long serialVersionUID = 1L;

        DecodeError(String message) {
            super(message);
        }
    }

    /** Decodes the bytes of one config file into a config whose unset fields keep Go's zero values. */
    static AgentConfig decode(byte[] json) throws DecodeError {
        Object raw;
        try {
            raw = GoJson.decodeFirst(json);
        } catch (GoJson.JsonException e) {
            throw new DecodeError(e.getMessage());
        }
        return decodeValue(raw);
    }

    /** The mapstructure and duration stages on an already parsed JSON value. */
    static AgentConfig decodeValue(Object raw) throws DecodeError {
        Target t = new Target();
        if (raw != null) {
            if (!(raw instanceof Map<?, ?> map)) {
                throw new DecodeError("'' expected a map, got '" + GoText.kindName(raw) + "'");
            }
            decodeStruct(castObject(map), t);
        }
        t.b.reconnectInterval(duration(t.reconnectInterval, t.b.build().reconnectInterval()));
        t.b.reconnectTimeout(duration(t.reconnectTimeout, t.b.build().reconnectTimeout()));
        t.b.tombstoneTimeout(duration(t.tombstoneTimeout, t.b.build().tombstoneTimeout()));
        t.b.retryInterval(duration(t.retryInterval, t.b.build().retryInterval()));
        t.b.broadcastTimeout(duration(t.broadcastTimeout, t.b.build().broadcastTimeout()));
        return t.b.build();
    }

    private static Duration duration(String raw, Duration current) throws DecodeError {
        if (raw.isEmpty()) {
            return current;
        }
        try {
            return GoDuration.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new DecodeError(e.getMessage());
        }
    }

    private static void decodeStruct(Map<String, Object> data, Target t) throws DecodeError {
        Set<String> unused = new LinkedHashSet<>(data.keySet());
        List<String> errors = new ArrayList<>();
        for (Field f : FIELDS) {
            String key = f.key;
            if (!data.containsKey(key)) {
                key = null;
                for (String k : data.keySet()) {
                    if (k.equalsIgnoreCase(f.key)) {
                        key = k;
                        break;
                    }
                }
                if (key == null) {
                    continue;
                }
            }
            unused.remove(key);
            Object value = data.get(key);
            if (value == null) {
                continue; // mapstructure leaves the field alone for a nil input
            }
            decodeField(f, value, t, errors);
        }
        if (!unused.isEmpty()) {
            List<String> keys = new ArrayList<>(unused);
            keys.sort(GoText.BYTE_ORDER);
            errors.add("'' has invalid keys: " + String.join(", ", keys));
        }
        if (!errors.isEmpty()) {
            List<String> points = new ArrayList<>();
            for (String e : errors) {
                points.add("* " + e);
            }
            points.sort(GoText.BYTE_ORDER);
            throw new DecodeError(errors.size() + " error(s) decoding:\n\n" + String.join("\n", points));
        }
    }

    private static void decodeField(Field f, Object value, Target t, List<String> errors) {
        String name = f.key;
        switch (f.kind) {
            case STRING -> {
                if (value instanceof String s) {
                    f.set.accept(t, s);
                } else {
                    errors.add(unconvertible(name, "string", value));
                }
            }
            case BOOL -> {
                if (value instanceof Boolean b) {
                    f.set.accept(t, b);
                } else {
                    errors.add(unconvertible(name, "bool", value));
                }
            }
            case INT, NANOS -> {
                if (value instanceof Number n) {
                    long v = goInt64(n.doubleValue());
                    f.set.accept(t, f.kind == Kind.NANOS ? Duration.ofNanos(v) : (Object) v);
                } else {
                    errors.add(unconvertible(name, f.kind == Kind.NANOS ? "time.Duration" : "int", value));
                }
            }
            case STRING_LIST -> {
                if (!(value instanceof List<?> list)) {
                    errors.add("'" + name + "': source data must be an array or slice, got " + GoText.kindName(value));
                    return;
                }
                List<String> out = new ArrayList<>(list.size());
                boolean ok = true;
                for (int i = 0; i < list.size(); i++) {
                    Object e = list.get(i);
                    if (e == null) {
                        out.add("");
                    } else if (e instanceof String s) {
                        out.add(s);
                    } else {
                        errors.add(unconvertible(name + "[" + i + "]", "string", e));
                        ok = false;
                    }
                }
                if (ok) {
                    f.set.accept(t, out);
                }
            }
            case STRING_MAP -> {
                if (!(value instanceof Map<?, ?> map)) {
                    errors.add("'" + name + "' expected a map, got '" + GoText.kindName(value) + "'");
                    return;
                }
                Map<String, String> out = new LinkedHashMap<>();
                boolean ok = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String k = (String) e.getKey();
                    Object v = e.getValue();
                    if (v == null) {
                        out.put(k, "");
                    } else if (v instanceof String s) {
                        out.put(k, s);
                    } else {
                        errors.add(unconvertible(name + "[" + k + "]", "string", v));
                        ok = false;
                    }
                }
                if (ok) {
                    f.set.accept(t, out);
                }
            }
        }
    }

    private static String unconvertible(String name, String type, Object value) {
        return "'" + name + "' expected type '" + type + "', got unconvertible type '" + GoText.typeName(value)
                + "', value: '" + GoText.formatValue(value) + "'";
    }

    /**
     * Go's {@code int64(f)} on amd64: truncation toward zero, and the "integer indefinite" value
     * (the minimum int64) for anything out of range.
     */
    static long goInt64(double f) {
        if (Double.isNaN(f) || f >= 0x1p63 || f < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) f;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castObject(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> castMap(Object v) {
        return (Map<String, String>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object v) {
        return (List<String>) v;
    }

    private static Field str(String key, BiConsumer<Target, String> set) {
        return new Field(key, Kind.STRING, (t, v) -> set.accept(t, (String) v));
    }

    private static Field bool(String key, BiConsumer<Target, Boolean> set) {
        return new Field(key, Kind.BOOL, (t, v) -> set.accept(t, (Boolean) v));
    }

    private static Field integer(String key, BiConsumer<Target, Long> set) {
        return new Field(key, Kind.INT, (t, v) -> set.accept(t, (Long) v));
    }

    private static Field nanos(BiConsumer<Target, Duration> set) {
        return new Field("-", Kind.NANOS, (t, v) -> set.accept(t, (Duration) v));
    }
}
