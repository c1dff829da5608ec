package serf.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigValidatorTest {

    @TempDir
    Path dir;

    private static AgentConfig.Builder base() {
        return AgentConfig.defaults().toBuilder().nodeName("n").enableCompression(true);
    }

    @Test
    void aGoodConfigGivesWhatSerfStartsWith() throws Exception {
        byte[] key = new byte[32];
        key[0] = 7;
        AgentConfigValidator.Startup s = AgentConfigValidator.validate(base().logLevel("debug").bindAddr("127.0.0.1")
                .advertiseAddr("[::1]:99").encryptKey(Base64.getEncoder().encodeToString(key)).protocol(260)
                .tags(Map.of("a", "b")).build());
        assertThat(s.logLevel()).isEqualTo("DEBUG");
        assertThat(s.bind()).isEqualTo(new AddrParts("127.0.0.1", 7946));
        assertThat(s.advertise()).contains(new AddrParts("::1", 99));
        assertThat(s.encryptKey()).isEqualTo(key);
        assertThat(s.keyring()).isEmpty();
        assertThat(s.tags()).isEqualTo(Map.of("a", "b"));
        assertThat(s.protocol()).isEqualTo(4);
        assertThat(s.notices()).isEmpty();
    }

    @Test
    void tagsAndKeysComeFromTheirFiles() throws Exception {
        Path tags = dir.resolve("tags.json");
        Files.writeString(tags, "{\"from\": \"file\"}");
        Path ring = dir.resolve("ring.json");
        byte[] k1 = new byte[16];
        byte[] k2 = new byte[24];
        k2[3] = 1;
        Files.writeString(ring, "[\"" + Base64.getEncoder().encodeToString(k1) + "\", \""
                + Base64.getEncoder().encodeToString(k2) + "\"]");
        AgentConfigValidator.Startup s = AgentConfigValidator.validate(base().tagsFile(tags.toString())
                .keyringFile(ring.toString()).build());
        assertThat(s.tags()).isEqualTo(Map.of("from", "file"));
        assertThat(s.keyring()).hasSize(2);
        assertThat(s.keyring().get(0)).isEqualTo(k1);
        assertThat(s.keyring().get(1)).isEqualTo(k2);
        // a tags file that does not exist yet means the configured (empty) tags
        assertThat(AgentConfigValidator.validate(base().tagsFile(dir.resolve("later.json").toString()).build()).tags())
                .isEmpty();
    }

    @Test
    void anInterfaceSuppliesTheBindAddress() throws Exception {
        List<String> notices = new ArrayList<>();
        AddrParts bind = AgentConfigValidator.bind(base().iface("lo").bindAddr("0.0.0.0:5000").build(), notices);
        assertThat(bind).isEqualTo(new AddrParts("127.0.0.1", 5000));
        assertThat(notices).containsExactly("Using interface 'lo' address '127.0.0.1'");
        assertThat(AgentConfigValidator.bind(base().iface("lo").bindAddr("127.0.0.1").build(), new ArrayList<>()))
                .isEqualTo(new AddrParts("127.0.0.1", 7946));
        assertThatThrownBy(() -> AgentConfigValidator.bind(base().iface("lo").bindAddr("10.9.9.9").build(), notices))
                .hasMessage("Interface 'lo' has no '10.9.9.9' address");
    }

    @Test
    void laterStageErrorsFollowTheStartingLine() {
        assertThatThrownBy(() -> AgentConfigValidator.validate(base().protocol(9).build()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.linesBefore()).containsExactly("Starting Serf agent...");
                    assertThat(AgentConfigLoaderTest.printed(e)[0]).isEqualTo("==> Starting Serf agent...\n"
                            + "==> Failed to start the Serf agent: Error creating Serf: Protocol version '9' too high. Must be in range: [2, 5]\n");
                });
        assertThatThrownBy(() -> AgentConfigValidator.validate(base().profile("x").build()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.linesBefore()).isEmpty());
    }

    @Test
    void logLevelsAreCaseInsensitiveWithGoUpperCasing() throws Exception {
        for (String l : List.of("trace", "Debug", "INFO", "wArN", "err")) {
            assertThat(AgentConfigValidator.logLevel(base().logLevel(l).build())).isEqualTo(l.toUpperCase(java.util.Locale.ROOT));
        }
        assertThatThrownBy(() -> AgentConfigValidator.logLevel(base().logLevel("stra\u00dfe").build()))
                .hasMessage("Invalid log level: STRA\u00dfE. Valid log levels are: [TRACE DEBUG INFO WARN ERR]");
        assertThatThrownBy(() -> AgentConfigValidator.logLevel(base().logLevel("error").build()))
                .hasMessage("Invalid log level: ERROR. Valid log levels are: [TRACE DEBUG INFO WARN ERR]");
    }

    @Test
    void noEncryptionKeyIsNoKey() throws Exception {
        assertThat(AgentConfigValidator.encryptKey(base().build())).isEmpty();
        assertThat(AgentConfigValidator.advertise(base().build())).isEqualTo(Optional.empty());
    }
}
