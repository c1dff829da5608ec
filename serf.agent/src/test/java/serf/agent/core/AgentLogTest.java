package serf.agent.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentLogTest {
    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");

    @Test
    void linesCarryTheLocalTimeOfTheirSecondAsGoFormatsIt() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AgentLog log = new AgentLog(new PrintStream(out, true, StandardCharsets.UTF_8), LogLevel.INFO);
        log.openGate();
        List<String> seen = new ArrayList<>();
        log.addMonitor(seen::add);
        for (int i = 0; i < 3; i++) {
            LocalDateTime before = LocalDateTime.now().withNano(0);
            log.log(LogLevel.INFO, "agent: line " + i);
            log.log(LogLevel.DEBUG, "serf: debug " + i);
            LocalDateTime after = LocalDateTime.now();
            for (String line : seen.subList(seen.size() - 2, seen.size())) {
                LocalDateTime stamp = LocalDateTime.parse(line.substring(0, 19), GO_TIME);
                assertThat(stamp).isBetween(before, after);
            }
        }
        assertThat(seen).hasSize(6);
        assertThat(seen.get(0)).matches("\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} \\[INFO\\] agent: line 0");
        assertThat(seen.get(1)).endsWith(" [DEBUG] serf: debug 0");
        // The console gets the INFO lines only, indented as Go's agent output is.
        String console = out.toString(StandardCharsets.UTF_8);
        assertThat(console.lines().toList()).hasSize(3).allMatch(l -> l.startsWith("    ") && l.contains("[INFO] agent: line"));
    }
}
