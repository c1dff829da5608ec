package serf.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigFileDecoderTest {

    private static AgentConfig decode(String json) throws ConfigFileDecoder.DecodeError {
        return ConfigFileDecoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyKeyDecodes() throws Exception {
        AgentConfig c = decode("""
                {"node_name": "n1", "role": "web", "disable_coordinates": true, "tags": {"dc": "x", "e": null},
                 "tags_file": "/t.json", "bind": "127.0.0.1:1", "advertise": "10.0.0.1", "encrypt_key": "k",
                 "keyring_file": "/k.json", "log_level": "debug", "rpc_addr": "127.0.0.1:2", "rpc_auth": "s3cret",
                 "protocol": 4, "replay_on_join": true, "query_response_size_limit": 2048, "query_size_limit": 4096,
                 "user_event_size_limit": 256, "start_join": ["a", "b"], "event_handlers": ["h.sh", "user:x=y.sh"],
                 "profile": "wan", "snapshot_path": "/s", "leave_on_terminate": true, "skip_leave_on_interrupt": true,
                 "discover": "c", "interface": "lo", "reconnect_interval": "10s", "reconnect_timeout": "1h",
                 "tombstone_timeout": "30m", "disable_name_resolution": true, "enable_syslog": true,
                 "syslog_facility": "LOCAL3", "retry_join": ["r"], "retry_max_attempts": 3, "retry_interval": "5s",
                 "rejoin_after_leave": true, "enable_compression": true, "statsite_addr": "s:1", "statsd_addr": "d:2",
                 "broadcast_timeout": "7s", "metrics_prometheus_addr": ":9100"}
                """);
        assertThat(c).isEqualTo(new AgentConfig("n1", "web", true, Map.of("dc", "x", "e", ""), "/t.json", "127.0.0.1:1",
                "10.0.0.1", "k", "/k.json", "debug", "127.0.0.1:2", "s3cret", 4, true, 2048, 4096, 256, List.of("a", "b"),
                List.of("h.sh", "user:x=y.sh"), "wan", "/s", true, true, "c", "lo", Duration.ofSeconds(10),
                Duration.ofHours(1), Duration.ofMinutes(30), true, true, "LOCAL3", List.of("r"), 3, Duration.ofSeconds(5),
                true, true, "s:1", "d:2", Duration.ofSeconds(7), ":9100"));
        assertThat(ConfigFileDecoder.KEYS).hasSize(40);
    }

    @Test
    void emptyObjectNullAndNullFieldsLeaveZeroValues() throws Exception {
        assertThat(decode("{}")).isEqualTo(AgentConfig.EMPTY);
        assertThat(decode("null")).isEqualTo(AgentConfig.EMPTY);
        assertThat(decode("{\"node_name\": null, \"tags\": null, \"start_join\": null, \"protocol\": null}"))
                .isEqualTo(AgentConfig.EMPTY);
        assertThat(decode("{\"start_join\": [null, \"x\"], \"tags\": {}}").startJoin()).containsExactly("", "x");
    }

    @Test
    void keysMatchCaseInsensitivelyWhenNoExactKey() throws Exception {
        AgentConfig c = decode("{\"NODE_NAME\": \"a\", \"Tags\": {\"k\": \"v\"}, \"log_LEVEL\": \"warn\"}");
        assertThat(c.nodeName()).isEqualTo("a");
        assertThat(c.tags()).containsExactly(Map.entry("k", "v"));
        assertThat(c.logLevel()).isEqualTo("warn");
        assertThatThrownBy(() -> decode("{\"node_name\": \"a\", \"Node_Name\": \"b\"}"))
                .hasMessage("1 error(s) decoding:\n\n* '' has invalid keys: Node_Name");
    }

    @Test
    void numbersTruncateLikeGoIntConversion() throws Exception {
        assertThat(decode("{\"protocol\": 2.9}").protocol()).isEqualTo(2);
        assertThat(decode("{\"protocol\": -2.9}").protocol()).isEqualTo(-2);
        assertThat(decode("{\"retry_max_attempts\": 1e300}").retryMaxAttempts()).isEqualTo(Long.MIN_VALUE);
        assertThat(decode("{\"query_size_limit\": 9007199254740993}").querySizeLimit()).isEqualTo(9007199254740992L);
    }

    @Test
    void theDashKeySetsEveryParsedDurationAsNanoseconds() throws Exception {
        AgentConfig c = decode("{\"-\": 2000000000, \"retry_interval\": \"3s\"}");
        assertThat(c.reconnectInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.reconnectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.tombstoneTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.broadcastTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.retryInterval()).isEqualTo(Duration.ofSeconds(3));
    }

    /** Exactly what the real agent printed for this file (captured from /usr/bin/serf). */
    @Test
    void typeErrorsAreCollectedSortedInMapstructureFormat() {
        String json = "{\"node_name\": 1000000, \"role\": 0.00001, \"tags\": [1,\"a\",{\"b\":null, \"a\":[true]}], "
                + "\"bind\": {\"x\":1}, \"-\": \"x\", \"Node_Name\": \"q\", \"log_LEVEL\": \"x\", \"retry_interval\": 5, "
                + "\"event_handlers\": [1, null]}";
        assertThatThrownBy(() -> decode(json)).hasMessage("""
                12 error(s) decoding:

                * '' has invalid keys: Node_Name
                * '-' expected type 'time.Duration', got unconvertible type 'string', value: 'x'
                * '-' expected type 'time.Duration', got unconvertible type 'string', value: 'x'
                * '-' expected type 'time.Duration', got unconvertible type 'string', value: 'x'
                * '-' expected type 'time.Duration', got unconvertible type 'string', value: 'x'
                * '-' expected type 'time.Duration', got unconvertible type 'string', value: 'x'
                * 'bind' expected type 'string', got unconvertible type 'map[string]interface {}', value: 'map[x:1]'
                * 'event_handlers[0]' expected type 'string', got unconvertible type 'float64', value: '1'
                * 'node_name' expected type 'string', got unconvertible type 'float64', value: '1e+06'
                * 'retry_interval' expected type 'string', got unconvertible type 'float64', value: '5'
                * 'role' expected type 'string', got unconvertible type 'float64', value: '1e-05'
                * 'tags' expected a map, got 'slice'""");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"node_name\": 5, \"foo\": 1, \"tags\": {\"a\": 1}, \"start_join\": \"x\", \"protocol\": true}|`5 error(s) decoding:\n\n* '' has invalid keys: foo\n* 'node_name' expected type 'string', got unconvertible type 'float64', value: '5'\n* 'protocol' expected type 'int', got unconvertible type 'bool', value: 'true'\n* 'start_join': source data must be an array or slice, got string\n* 'tags[a]' expected type 'string', got unconvertible type 'float64', value: '1'`",
            "{\"leave_on_terminate\": \"yes\"}|`1 error(s) decoding:\n\n* 'leave_on_terminate' expected type 'bool', got unconvertible type 'string', value: 'yes'`",
            "{\"retry_join\": {\"a\": [1, {\"z\": false, \"b\": null}]}}|`1 error(s) decoding:\n\n* 'retry_join': source data must be an array or slice, got map`",
            "{\"tags\": {\"a\": [1, {\"z\": false, \"b\": null}]}}|`1 error(s) decoding:\n\n* 'tags[a]' expected type 'string', got unconvertible type '[]interface {}', value: '[1 map[b:<nil> z:false]]'`",
            "{\"tags\": 1.5}|`1 error(s) decoding:\n\n* 'tags' expected a map, got 'float64'`",
            "{\"b\": 1, \"a\": 2, \"B\": 3}|`1 error(s) decoding:\n\n* '' has invalid keys: B, a, b`",
            "[1]|'' expected a map, got 'slice'",
            "\"x\"|'' expected a map, got 'string'",
            "12|'' expected a map, got 'float64'",
            "true|'' expected a map, got 'bool'",
            "{\"retry_interval\": \"1x\"}|time: unknown unit \"x\" in duration \"1x\"",
            "{\"broadcast_timeout\": \"5\", \"reconnect_interval\": \"x\"}|time: invalid duration \"x\"",
            "{\"tombstone_timeout\": \"\"}|",
    })
    void refusedFilesHaveGoTexts(String json, String message) throws Exception {
        if (message == null) {
            assertThat(decode(json).tombstoneTimeout()).isEqualTo(Duration.ZERO);
            return;
        }
        assertThatThrownBy(() -> decode(json)).isInstanceOf(ConfigFileDecoder.DecodeError.class).hasMessage(message);
    }
}
