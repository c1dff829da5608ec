package serf.agent.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares help texts by what scripts and users rely on, not by their wording (ours are our own
 * words, Go's are Go's): the usage line, the flags with their defaults, the commands listed.
 */
public final class HelpText {
    private HelpText() {
    }

    private static final Pattern FLAG = Pattern.compile("^(?: {2}|\t)(-[A-Za-z][\\w-]*\\S*)");
    private static final Pattern COMMAND = Pattern.compile("^ {4}(\\S+) {2,}");
    /** Flags of ours that Go's agent does not have (documented as such in our help). */
    private static final java.util.Set<String> OURS_ONLY = java.util.Set.of("-metrics-prometheus-addr=host:port");

    /**
     * The output of a stream with its help text (from a line {@code Usage: serf ...} or
     * {@code ==> Usage: serf ...} to the end) replaced by what it must keep: its first line, then the
     * flags it documents (name and default, as {@code -name=default}, sorted) and the commands it lists.
     */
    public static String byContent(String stream) {
        int at = stream.startsWith("Usage: serf") ? 0 : stream.indexOf("\nUsage: serf") + 1;
        if (at == 0 && !stream.startsWith("Usage: serf")) {
            int prefixed = stream.indexOf("==> Usage: serf");
            if (prefixed < 0) {
                return stream;
            }
            at = prefixed;
        }
        List<String> lines = stream.substring(at).lines().toList();
        TreeSet<String> flags = new TreeSet<>();
        List<String> commands = new ArrayList<>();
        boolean listing = false;
        for (String line : lines.subList(1, lines.size())) {
            Matcher f = FLAG.matcher(line);
            if (f.find() && !OURS_ONLY.contains(f.group(1))) {
                flags.add(f.group(1));
            }
            if (line.startsWith("Available commands are:")) {
                listing = true;
            } else if (listing) {
                Matcher c = COMMAND.matcher(line);
                if (c.find()) {
                    commands.add(c.group(1));
                }
            }
        }
        return stream.substring(0, at) + lines.get(0) + "\n[help: flags " + flags + " commands " + commands + "]\n";
    }
}
