package serf.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The help text of {@code serf agent}, byte for byte what the Go agent prints (taken from its
 * output, since scripts and users see it), without a trailing newline.
 */
public final class AgentUsage {

    private static final String TEXT = load();

    private AgentUsage() {
    }

    public static String text() {
        return TEXT;
    }

    private static String load() {
        try (InputStream in = AgentUsage.class.getResourceAsStream("agent-usage.txt")) {
            if (in == null) {
                throw new IllegalStateException("agent-usage.txt missing from serf.agent");
            }
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
