package serf.agent.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Go's string handling where the CLI's and the agent's output depends on it: Go strings are byte
 * strings, so invalid UTF-8 is carried through and only replaced at the point Go replaces it. Also
 * the text forms Go gives values in the agent's error messages: {@code strconv.Quote} ({@code %q}),
 * the {@code time} package's own quoting, {@code fmt}'s {@code %v} of decoded JSON values.
 */
public final class GoText {
    private GoText() {
    }

    /** Go sorts strings by bytes, which for UTF-8 is code point order (not UTF-16 order). */
    public static final Comparator<String> BYTE_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    /**
     * Decodes UTF-8 as Go's {@code utf8.DecodeRune} sees it, turning every byte that does not start
     * a valid sequence into a lone low surrogate ({@code U+DC00 + byte}). Encoders that replace lone
     * surrogates (the JSON writer writes {@code \ufffd}) then reproduce Go's one-replacement-per-byte
     * behaviour; {@link #toBytes} restores the original bytes.
     */
    public static String fromBytes(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                sb.append((char) c);
                i++;
                continue;
            }
            int need;
            int cp;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                need = 1;
                cp = c & 0x1f;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                need = 2;
                cp = c & 0x0f;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                need = 3;
                cp = c & 0x07;
                min = 0x10000;
            } else {
                sb.append((char) (0xdc00 | c));
                i++;
                continue;
            }
            boolean ok = true;
            for (int k = 1; k <= need; k++) {
                if (i + k >= b.length || (b[i + k] & 0xc0) != 0x80) {
                    ok = false;
                    break;
                }
                cp = (cp << 6) | (b[i + k] & 0x3f);
            }
            if (ok && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) {
                ok = false;
            }
            if (!ok) {
                sb.append((char) (0xdc00 | c));
                i++;
                continue;
            }
            sb.appendCodePoint(cp);
            i += need + 1;
        }
        return sb.toString();
    }

    /** Inverse of {@link #fromBytes}: lone low surrogates {@code U+DC80..U+DCFF} become their byte again. */
    public static byte[] toBytes(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.writeBytes(new String(new char[] {c, s.charAt(i + 1)}).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (c >= 0xdc80 && c <= 0xdcff) {
                out.write(c & 0xff);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    /** Go's {@code strings.TrimSpace}: Unicode white space at both ends. */
    public static String trimSpace(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isSpace(s.charAt(a))) {
            a++;
        }
        while (b > a && isSpace(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    /** Go's {@code unicode.IsSpace} for BMP characters. */
    public static boolean isSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000b', '\f', '\r', ' ', '\u0085', '\u00a0' -> true;
            default -> c > 0xff && Character.getType(c) == Character.SPACE_SEPARATOR
                    || c == '\u2028' || c == '\u2029';
        };
    }

    /** Go's {@code strconv.Quote}: a double-quoted Go string literal of {@code s}'s UTF-8 bytes. */
    public static String quote(String s) {
        return quote(toBytes(s));
    }

    /** Go's {@code strconv.Quote} of a byte string (invalid bytes as {@code \xNN}). */
    public static String quote(byte[] b) {
        String s = fromBytes(b);
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp >= 0xdc80 && cp <= 0xdcff) {
                sb.append("\\x").append(hex2(cp & 0xff));
                continue;
            }
            switch (cp) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case 0x07 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x0b -> sb.append("\\v");
                default -> {
                    if (isPrint(cp)) {
                        sb.appendCodePoint(cp);
                    } else if (cp < ' ' || cp == 0x7f) {
                        sb.append("\\x").append(hex2(cp));
                    } else if (cp < 0x10000) {
                        sb.append("\\u").append(String.format("%04x", cp));
                    } else {
                        sb.append("\\U").append(String.format("%08x", cp));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /**
     * The JSON scanner's {@code quoteChar(c)}: one byte shown as the rune of the same value
     * ({@code 0xC3} prints as {@code 'Ã'}), single-quoted.
     */
    public static String quoteByte(int c) {
        if (c == '\'') {
            return "'\\''";
        }
        if (c == '"') {
            return "'\"'";
        }
        // As Go: strconv.Quote(string(rune(c))) without its double quotes.
        String q = quote(String.valueOf((char) c));
        return "'" + q.substring(1, q.length() - 1) + "'";
    }

    /**
     * The {@code time} package's own quoting (used by {@code time.ParseDuration} errors): double
     * quotes, {@code "} and {@code \} escaped, every byte of a non-ASCII or control rune as
     * {@code \xNN}.
     */
    public static String timeQuote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp >= 0x80 || cp < ' ') {
                for (byte by : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    b.append("\\x").append(hex2(by & 0xff));
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

    /** {@code strings.ToUpper}: per-rune simple upper-casing (no "SS" for "ß", unlike Java's String method). */
    public static String toUpper(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(Character.toUpperCase(cp)));
        return b.toString();
    }

    /**
     * {@code fmt.Sprintf("%v", v)} of a value decoded from JSON into {@code interface{}}: maps print
     * as {@code map[k:v k2:v2]} with sorted keys, arrays as {@code [a b]}, numbers like {@code %g}.
     */
    public static String formatValue(Object v) {
        StringBuilder b = new StringBuilder();
        appendValue(b, v);
        return b.toString();
    }

    private static void appendValue(StringBuilder b, Object v) {
        switch (v) {
            case null -> b.append("<nil>");
            case String s -> b.append(s);
            case Boolean bool -> b.append(bool);
            case Double d -> b.append(GoFloat.formatG(d));
            case Number n -> b.append(GoFloat.formatG(n.doubleValue()));
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
    public static String typeName(Object v) {
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
    public static String kindName(Object v) {
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

    private static String hex2(int v) {
        return String.format("%02x", v);
    }

    /**
     * {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space,
     * i.e. every category but controls, formats, surrogates, private use, unassigned and separators.
     */
    static boolean isPrint(int cp) {
        if (cp < 0x80) {
            return cp >= 0x20 && cp < 0x7f;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }
}
