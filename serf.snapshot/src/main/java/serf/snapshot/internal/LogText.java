package serf.snapshot.internal;

/** Makes file content safe to put in a log line: bounded length, control characters escaped. */
public final class LogText {

    private static final int MAX_CHARS = 200;

    private LogText() {
    }

    public static String quote(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 8);
        int limit = Math.min(text.length(), MAX_CHARS);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (text.length() > MAX_CHARS) {
            sb.append("... (").append(text.length()).append(" chars)");
        }
        return sb.toString();
    }
}
