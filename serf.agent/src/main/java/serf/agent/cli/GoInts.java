package serf.agent.cli;

/** Go's {@code strconv.ParseInt(s, 0, 64)}, as the {@code flag} package parses int flags. */
final class GoInts {
    private GoInts() {
    }

    /** @throws NumberFormatException whose message is the flag package's ("parse error", "value out of range") */
    static long parseInt(String s0) {
        if (s0.isEmpty()) {
            throw new NumberFormatException("parse error");
        }
        String s = s0;
        boolean neg = false;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            neg = s.charAt(0) == '-';
            s = s.substring(1);
        }
        long un = parseUint(s, s0);
        // Signed range: up to 1<<63 for negatives, 1<<63-1 otherwise.
        if (!neg && Long.compareUnsigned(un, Long.MAX_VALUE) > 0) {
            throw new NumberFormatException("value out of range");
        }
        if (neg && Long.compareUnsigned(un, Long.MIN_VALUE) > 0) {
            throw new NumberFormatException("value out of range");
        }
        return neg ? -un : un;
    }

    private static long parseUint(String s, String whole) {
        if (s.isEmpty()) {
            throw new NumberFormatException("parse error");
        }
        int base = 10;
        if (s.charAt(0) == '0') {
            if (s.length() >= 3 && (lower(s.charAt(1)) == 'b' || lower(s.charAt(1)) == 'o' || lower(s.charAt(1)) == 'x')) {
                base = switch (lower(s.charAt(1))) {
                    case 'b' -> 2;
                    case 'o' -> 8;
                    default -> 16;
                };
                s = s.substring(2);
            } else {
                base = 8;
                s = s.substring(1);
                if (s.isEmpty()) {
                    return 0;
                }
            }
        }
        boolean underscores = false;
        long n = 0;
        long cutoff = Long.divideUnsigned(-1L, base) + 1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int d;
            if (c == '_') {
                underscores = true;
                continue;
            } else if (c >= '0' && c <= '9') {
                d = c - '0';
            } else if (lower(c) >= 'a' && lower(c) <= 'z') {
                d = lower(c) - 'a' + 10;
            } else {
                throw new NumberFormatException("parse error");
            }
            if (d >= base) {
                throw new NumberFormatException("parse error");
            }
            if (Long.compareUnsigned(n, cutoff) >= 0) {
                throw new NumberFormatException("value out of range");
            }
            n *= base;
            long n1 = n + d;
            if (Long.compareUnsigned(n1, n) < 0) {
                throw new NumberFormatException("value out of range");
            }
            n = n1;
        }
        if (underscores && !underscoreOk(whole)) {
            throw new NumberFormatException("parse error");
        }
        return n;
    }

    /** Underscores only between digits or after a base prefix, as Go's base-0 syntax requires. */
    private static boolean underscoreOk(String s) {
        char saw = '^';
        int i = 0;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            s = s.substring(1);
        }
        boolean hex = false;
        if (s.length() >= 2 && s.charAt(0) == '0'
                && (lower(s.charAt(1)) == 'b' || lower(s.charAt(1)) == 'o' || lower(s.charAt(1)) == 'x')) {
            i = 2;
            saw = '0';
            hex = lower(s.charAt(1)) == 'x';
        }
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9' || hex && lower(c) >= 'a' && lower(c) <= 'f') {
                saw = '0';
                continue;
            }
            if (c == '_') {
                if (saw != '0') {
                    return false;
                }
                saw = '_';
                continue;
            }
            if (saw == '_') {
                return false;
            }
            saw = '!';
        }
        return saw != '_';
    }

    private static char lower(char c) {
        return (char) (c | 0x20);
    }
}
