package serf.agent.internal;

/**
 * The number and bool syntax of Go's {@code strconv} that the {@code flag} package uses:
 * {@code ParseBool}'s spellings and {@code ParseInt(s, 0, 64)} with its base prefixes
 * ({@code 0x}, {@code 0o}, {@code 0b}, a leading {@code 0}), underscores between digits, and
 * the error texts the flag package prints.
 */
public final class GoStrconv {
    private GoStrconv() {
    }

    /** {@code strconv.ParseBool}, or null when the text is not one of Go's spellings. */
    public static Boolean parseBool(String s) {
        return switch (s) {
            case "1", "t", "T", "TRUE", "true", "True" -> Boolean.TRUE;
            case "0", "f", "F", "FALSE", "false", "False" -> Boolean.FALSE;
            default -> null;
        };
    }

    /**
     * {@code strconv.ParseInt(s, 0, 64)}.
     *
     * @throws NumberFormatException with message {@code parse error} or {@code value out of range}
     *         (the texts the flag package prints)
     */
    public static long parseInt(String s) {
        if (s.isEmpty()) {
            throw syntax();
        }
        String u = s;
        boolean neg = false;
        if (u.charAt(0) == '+') {
            u = u.substring(1);
        } else if (u.charAt(0) == '-') {
            neg = true;
            u = u.substring(1);
        }
        long un;
        boolean range = false;
        try {
            un = parseUint(u);
        } catch (RangeException e) {
            un = -1; // max uint64
            range = true;
        }
        if (range) {
            throw new NumberFormatException("value out of range");
        }
        if (!neg && Long.compareUnsigned(un, Long.MIN_VALUE) >= 0) {
            throw new NumberFormatException("value out of range");
        }
        if (neg && Long.compareUnsigned(un, Long.MIN_VALUE) > 0) {
            throw new NumberFormatException("value out of range");
        }
        return neg ? -un : un;
    }

    private static final class RangeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RangeException() {
            super(null, null, false, false);
        }
    }

    private static NumberFormatException syntax() {
        return new NumberFormatException("parse error");
    }

    /** {@code strconv.ParseUint(s, 0, 64)} as an unsigned long; throws RangeException on overflow. */
    private static long parseUint(String s) {
        if (s.isEmpty()) {
            throw syntax();
        }
        String s0 = s;
        int base = 10;
        if (s.charAt(0) == '0') {
            if (s.length() >= 3 && lower(s.charAt(1)) == 'b') {
                base = 2;
                s = s.substring(2);
            } else if (s.length() >= 3 && lower(s.charAt(1)) == 'o') {
                base = 8;
                s = s.substring(2);
            } else if (s.length() >= 3 && lower(s.charAt(1)) == 'x') {
                base = 16;
                s = s.substring(2);
            } else {
                base = 8;
                s = s.substring(1);
            }
        }
        long cutoff = Long.divideUnsigned(-1L, base) + 1;
        boolean underscores = false;
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int d;
            if (c == '_') {
                underscores = true;
                continue;
            } else if ('0' <= c && c <= '9') {
                d = c - '0';
            } else if ('a' <= lower(c) && lower(c) <= 'z') {
                d = lower(c) - 'a' + 10;
            } else {
                throw syntax();
            }
            if (d >= base) {
                throw syntax();
            }
            if (Long.compareUnsigned(n, cutoff) >= 0) {
                throw new RangeException();
            }
            n *= base;
            long n1 = n + d;
            if (Long.compareUnsigned(n1, n) < 0) {
                throw new RangeException();
            }
            n = n1;
        }
        if (underscores && !underscoreOk(s0)) {
            throw syntax();
        }
        return n;
    }

    private static char lower(char c) {
        return (char) (c | ('x' - 'X'));
    }

    /** Go's rule: underscores only between digits, or between the base prefix and a digit. */
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
            if (('0' <= c && c <= '9') || (hex && 'a' <= lower(c) && lower(c) <= 'f')) {
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
}
