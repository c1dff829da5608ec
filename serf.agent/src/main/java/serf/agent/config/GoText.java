package serf.agent.config;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The text forms Go's standard library gives to values in the error messages the agent prints:
 * {@code strconv.Quote} ({@code %q}), {@code fmt}'s {@code %v} of decoded JSON values, and Go's
 * byte-wise string ordering ({@code sort.Strings}).
 */
final class GoText {

    /** Go compares strings byte by byte (UTF-8); Java's compareTo compares UTF-16 units. */
    static final Comparator<String> BYTE_ORDER = (a, b) -> {
        if (a.equals(b)) {
            return 0;
        }
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.compareUnsigned(x, y);
    };

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private GoText() {
    }

    /** {@code strings.ToUpper}: per-rune simple upper-casing (no "SS" for "ß", unlike Java's String method). */
    static String toUpper(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(Character.toUpperCase(cp)));
        return b.toString();
    }

    /** {@code strconv.Quote(s)}: double quotes, Go escapes for non-printable runes. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        s.codePoints().forEach(cp -> appendQuotedRune(b, cp, '"'));
        return b.append('"').toString();
    }

    /**
     * The JSON scanner's {@code quoteChar(c)}: one byte shown as the rune of the same value
     * ({@code 0xC3} prints as {@code 'Ã'}), single-quoted.
     */
    static String quoteByte(int c) {
        if (c == '\'') {
            return "'\\''";
        }
        if (c == '"') {
            return "'\"'";
        }
        StringBuilder b = new StringBuilder("'");
        appendQuotedRune(b, c, '"');
        return b.append('\'').toString();
    }

    /**
     * The {@code time} package's own quoting (used by {@code time.ParseDuration} errors): double
     * quotes, {@code "} and {@code \} escaped, every byte of a non-ASCII or control rune as
     * {@code \xNN}.
     */
    static String timeQuote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp >= 0x80 || cp < ' ') {
                for (byte by : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    b.append("\\x").append(HEX[(by >> 4) & 0xF]).append(HEX[by & 0xF]);
                }
            } else {
                if (cp == '"' || cp == '\\') {
                    b.append('\\');
                }
                b.append((char) cp);
            }
        }
        return b.append('"').toString();
    }

    private static void appendQuotedRune(StringBuilder b, int cp, char quote) {
        if (cp == quote || cp == '\\') {
            b.append('\\').append((char) cp);
            return;
        }
        if (isPrint(cp)) {
            b.appendCodePoint(cp);
            return;
        }
        switch (cp) {
            case 0x07 -> b.append("\\a");
            case '\b' -> b.append("\\b");
            case '\f' -> b.append("\\f");
            case '\n' -> b.append("\\n");
            case '\r' -> b.append("\\r");
            case '\t' -> b.append("\\t");
            case 0x0B -> b.append("\\v");
            default -> {
                if (cp < ' ' || cp == 0x7F) {
                    b.append("\\x").append(HEX[(cp >> 4) & 0xF]).append(HEX[cp & 0xF]);
                } else if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                    b.append("\\ufffd"); // a lone surrogate is not a rune; Go would see U+FFFD
                } else if (cp < 0x10000) {
                    b.append("\\u");
                    appendHex(b, cp, 4);
                } else {
                    b.append("\\U");
                    appendHex(b, cp, 8);
                }
            }
        }
    }

    private static void appendHex(StringBuilder b, int v, int digits) {
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            b.append(HEX[(v >> shift) & 0xF]);
        }
    }

    /** {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
    static boolean isPrint(int cp) {
        if (cp == ' ') {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER,
                 Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK,
                 Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER,
                 Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                 Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION,
                 Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL, Character.MODIFIER_SYMBOL,
                 Character.OTHER_SYMBOL -> true;
            default -> false;
        };
    }

    /**
     * {@code fmt.Sprintf("%v", v)} of a value decoded from JSON into {@code interface{}}: maps print
     * as {@code map[k:v k2:v2]} with sorted keys, arrays as {@code [a b]}, numbers like {@code %g}.
     */
    static String formatValue(Object v) {
        StringBuilder b = new StringBuilder();
        appendValue(b, v);
        return b.toString();
    }

    private static void appendValue(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("<nil>");
            case String s -> b.append(s);
            case Boolean bool -> b.append(bool);
            case Double d -> b.append(formatFloat(d));
            case Number n -> b.append(formatFloat(n.doubleValue()));
            case List<?> list -> {
                b.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        b.append(' ');
                    }
                    appendValue(b, list.get(i));
                }
                b.append(']');
            }
            case Map<?, ?> map -> {
                List<String> keys = new ArrayList<>();
                for (Object k : map.keySet()) {
                    keys.add(String.valueOf(k));
                }
                keys.sort(BYTE_ORDER);
                b.append("map[");
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) {
                        b.append(' ');
                    }
                    b.append(keys.get(i)).append(':');
                    appendValue(b, map.get(keys.get(i)));
                }
                b.append(']');
            }
            default -> b.append(v);
        }
    }

    /** The Go type name of a JSON value decoded into {@code interface{}}, as mapstructure prints it. */
    static String typeName(Object v) {
        return switch (v) {
            case null -> "<nil>";
            case String s -> "string";
            case Boolean b -> "bool";
            case Number n -> "float64";
            case List<?> l -> "[]interface {}";
            case Map<?, ?> m -> "map[string]interface {}";
            default -> v.getClass().getSimpleName();
        };
    }

    /** The reflect kind of a JSON value ({@code slice}, {@code map}, {@code float64}, …). */
    static String kindName(Object v) {
        return switch (v) {
            case null -> "invalid";
            case String s -> "string";
            case Boolean b -> "bool";
            case Number n -> "float64";
            case List<?> l -> "slice";
            case Map<?, ?> m -> "map";
            default -> "struct";
        };
    }

    /**
     * {@code strconv.FormatFloat(f, 'g', -1, 64)}, which is what {@code %v} prints for a float64:
     * the shortest digits that round-trip, in exponent form when the exponent is below -4 or at
     * least 6 ({@code 1e+06}, {@code 1e-05}, {@code 123456.5}).
     */
    static String formatFloat(double f) {
        if (Double.isNaN(f)) {
            return "NaN";
        }
        if (Double.isInfinite(f)) {
            return f > 0 ? "+Inf" : "-Inf";
        }
        boolean neg = (Double.doubleToRawLongBits(f) & Long.MIN_VALUE) != 0;
        if (f == 0) {
            return neg ? "-0" : "0";
        }
        // Double.toString gives the shortest round-tripping digits (JDK 19+).
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(f))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - bd.scale() - 1; // decimal exponent of the first digit
        StringBuilder b = new StringBuilder();
        if (neg) {
            b.append('-');
        }
        if (exp < -4 || exp >= 6) {
            b.append(digits.charAt(0));
            if (digits.length() > 1) {
                b.append('.').append(digits, 1, digits.length());
            }
            b.append('e').append(exp < 0 ? '-' : '+');
            int ax = Math.abs(exp);
            if (ax < 10) {
                b.append('0');
            }
            b.append(ax);
        } else if (exp < 0) {
            b.append("0.");
            b.append("0".repeat(-exp - 1));
            b.append(digits);
        } else if (digits.length() <= exp + 1) {
            b.append(digits);
            b.append("0".repeat(exp + 1 - digits.length()));
        } else {
            b.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
        }
        return b.toString();
    }
}
